package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runCLI(t *testing.T, env Env, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env.Stdout, env.Stderr = &out, &errb
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	code = Main(context.Background(), args, env)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{"bogus"},
		{"--bogus"},
		{"search", "--kind", "blog"},
		{"search", "--limit", "0"},
		{"search", "--limit", "many"},
		{"open"},
		{"open", "a", "b"},
		{"open", "id", "--browser", "--app"},
		{"disconnect"},
		{"pin"},
		{"unpin", "a", "b"},
		{"pin", "--json", "a"},
		{"workspaces", "extra"},
		{"sync", "-w"},
		{"connect", "--timeout", "soon"},
		{"--demo", "sync"},
		{"--version", "sync"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, Env{}, args...)
			if code != ExitUsage {
				t.Errorf("exit = %d, want %d", code, ExitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.HasPrefix(stderr, "pagedeck: ") || strings.Count(stderr, "\n") != 2 {
				t.Errorf("stderr = %q, want one error line and a hint", stderr)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	code, stdout, _ := runCLI(t, Env{}, "help")
	if code != 0 || !strings.Contains(stdout, "pagedeck search [QUERY]") {
		t.Errorf("help: %d %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, Env{}, "--version")
	if code != 0 || !strings.HasPrefix(stdout, "pagedeck dev (commit unknown)") {
		t.Errorf("version: %d %q", code, stdout)
	}
}

func TestNoCommandOpensTheWindow(t *testing.T) {
	var got []WindowOptions
	env := Env{Window: func(_ context.Context, o WindowOptions) error { got = append(got, o); return nil }}
	if code, _, _ := runCLI(t, env); code != 0 {
		t.Fatal(code)
	}
	if code, _, _ := runCLI(t, env, "--demo"); code != 0 {
		t.Fatal(code)
	}
	if len(got) != 2 || got[0].Demo || !got[1].Demo {
		t.Errorf("window calls = %+v", got)
	}
}

func TestCommandHelp(t *testing.T) {
	code, stdout, stderr := runCLI(t, Env{}, "search", "-h")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "Usage: pagedeck search [QUERY]") || !strings.Contains(stdout, "-limit") || !strings.Contains(stdout, "(default 50)") {
		t.Errorf("search -h: %d %q %q", code, stdout, stderr)
	}
	if code, stdout, _ := runCLI(t, Env{}, "connect", "--help"); code != 0 || !strings.Contains(stdout, "-timeout") {
		t.Errorf("connect --help: %d %q", code, stdout)
	}
}

// help names every command, the flags that start the window, and the
// environment, the hotkey's included.
func TestHelpNamesTheLauncher(t *testing.T) {
	code, out, _ := runCLI(t, Env{}, "help")
	for _, want := range []string{"pagedeck quick\n", "pagedeck --hidden", "PAGEDECK_HOTKEY", "Start at login", "pagedeck add-token\n"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}
