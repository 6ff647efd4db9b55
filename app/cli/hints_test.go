package cli_test

import (
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/notion/notiontest"
)

// The core's errors name the problem; the command line adds what to type.
func TestCommandLineAddsTheFix(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"open", "no-such-id"}, "(run 'pagedeck sync' if it is new)"},
		{[]string{"sync", "-w", "Nowhere"}, "(see 'pagedeck workspaces')"},
		{[]string{"disconnect", "Nowhere"}, "(see 'pagedeck workspaces')"},
	}
	for _, c := range cases {
		code, _, stderr := w.run(c.args...)
		if code != 1 || !strings.HasSuffix(strings.TrimSpace(stderr), c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want one line ending in %q", c.args, code, stderr, c.want)
		}
	}
	w.Config.ClientID, w.Config.ClientSecret = "", ""
	code, _, stderr := w.run("connect", "--no-browser")
	if code != 1 || !strings.Contains(stderr, "PAGEDECK_CLIENT_ID") || !strings.Contains(stderr, "README") {
		t.Errorf("connect without a connection: exit %d, %q", code, stderr)
	}
}

func TestCommandLineSaysHowToReconnect(t *testing.T) {
	w := newWorld(t)
	ws := w.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	w.Emu.Seed(ws, 3, 20)
	w.connect(ws)
	toks, err := w.Vault.Load(t.Context(), ws)
	if err != nil {
		t.Fatal(err)
	}
	w.Emu.RevokeToken(toks.Access.Reveal())
	code, _, stderr := w.run("sync", "-w", "Acme")
	if code != 1 || !strings.Contains(stderr, "Acme") || !strings.Contains(stderr, "reconnect it with 'pagedeck connect'") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
