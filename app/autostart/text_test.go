package autostart

import (
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestWindowsRunCommand(t *testing.T) {
	for _, tt := range []struct {
		e    Entry
		want string
	}{
		{Entry{Exe: `C:\Program Files\Pagedeck\pagedeck.exe`, Args: []string{"--hidden"}},
			`"C:\Program Files\Pagedeck\pagedeck.exe" --hidden`},
		{Entry{Exe: `C:\Users\Ada\AppData\Local\pagedeck.exe`, Args: []string{"--hidden"}},
			`"C:\Users\Ada\AppData\Local\pagedeck.exe" --hidden`},
		{Entry{Exe: `\\server\share\pagedeck.exe`, Args: []string{"--hidden", `a b`, `say "hi"`, `trail\`, `C:\dir with space\`, ""}},
			`"\\server\share\pagedeck.exe" --hidden "a b" "say \"hi\"" trail\ "C:\dir with space\\" ""`},
	} {
		got := runCommand(tt.e)
		if got != tt.want {
			t.Errorf("runCommand = %s\nwant           %s", got, tt.want)
		}
		if args := commandLineToArgv(got); !slices.Equal(args, append([]string{tt.e.Exe}, tt.e.Args...)) {
			t.Errorf("%s is read back as %q", got, args)
		}
		if err := tt.e.check(); err != nil {
			t.Errorf("check(%s): %v", tt.e.Exe, err)
		}
	}
}

// commandLineToArgv parses as CommandLineToArgvW does: the program name
// ends at the closing quote (no escapes in it); in the arguments 2n
// backslashes before a quote are n and the quote delimits, 2n+1 are n and
// a literal quote, and other backslashes are literal.
func commandLineToArgv(s string) []string {
	var args []string
	i := 0
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		args = append(args, s[1:1+end])
		i = end + 2
	} else {
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		args = append(args, s[:end])
		i = end
	}
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return args
		}
		var b strings.Builder
		quoted := false
		for i < len(s) && (quoted || (s[i] != ' ' && s[i] != '\t')) {
			switch {
			case s[i] == '\\':
				n := 0
				for i < len(s) && s[i] == '\\' {
					n++
					i++
				}
				if i < len(s) && s[i] == '"' {
					b.WriteString(strings.Repeat(`\`, n/2))
					if n%2 == 1 {
						b.WriteByte('"')
						i++
					}
				} else {
					b.WriteString(strings.Repeat(`\`, n))
				}
			case s[i] == '"':
				quoted = !quoted
				i++
			default:
				b.WriteByte(s[i])
				i++
			}
		}
		args = append(args, b.String())
	}
}

func TestLaunchAgentPlist(t *testing.T) {
	e := Entry{Exe: "/Applications/Pagedeck & Co/<Pagedeck>.app/Contents/MacOS/pagedeck", Args: []string{"--hidden"}}
	text := launchAgent(e)
	if !strings.HasPrefix(string(text), `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(string(text), "<!DOCTYPE plist") {
		t.Errorf("no XML header or plist doctype:\n%s", text)
	}
	dict := parsePlistDict(t, string(text))
	if dict["Label"].text != "com.github.pagedeck" {
		t.Errorf("Label = %q", dict["Label"].text)
	}
	if args := dict["ProgramArguments"].array; !slices.Equal(args, []string{e.Exe, "--hidden"}) {
		t.Errorf("ProgramArguments = %q", args)
	}
	if dict["RunAtLoad"].kind != "true" {
		t.Errorf("RunAtLoad = %+v", dict["RunAtLoad"])
	}
	if dict["LimitLoadToSessionType"].text != "Aqua" || dict["ProcessType"].text != "Interactive" {
		t.Errorf("session keys = %+v", dict)
	}
	if launchAgentPath(Entry{Dir: "/Users/ada/Library/LaunchAgents"}) != "/Users/ada/Library/LaunchAgents/com.github.pagedeck.plist" {
		t.Errorf("path %q", launchAgentPath(Entry{Dir: "/Users/ada/Library/LaunchAgents"}))
	}
}

type plistValue struct {
	kind  string // string, true, false, array
	text  string
	array []string
}

// parsePlistDict decodes <plist><dict> with encoding/xml: keys, then
// strings, booleans and arrays of strings.
func parsePlistDict(t *testing.T, text string) map[string]plistValue {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(text))
	out := map[string]plistValue{}
	var path []string
	var key string
	var cur *plistValue
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the plist is not XML: %v\n%s", err, text)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			path = append(path, tok.Name.Local)
			in := strings.Join(path, "/")
			switch in {
			case "plist", "plist/dict", "plist/dict/key", "plist/dict/string", "plist/dict/array/string":
			case "plist/dict/true", "plist/dict/false":
				out[key] = plistValue{kind: tok.Name.Local}
			case "plist/dict/array":
				out[key] = plistValue{kind: "array"}
			default:
				t.Fatalf("unexpected element %s", in)
			}
			if in == "plist/dict/string" {
				out[key] = plistValue{kind: "string"}
			}
			v := out[key]
			cur = &v
		case xml.CharData:
			switch strings.Join(path, "/") {
			case "plist/dict/key":
				key = string(tok)
			case "plist/dict/string":
				cur.text += string(tok)
				out[key] = *cur
			case "plist/dict/array/string":
				cur.array = append(cur.array, string(tok))
				out[key] = *cur
			}
		case xml.EndElement:
			path = path[:len(path)-1]
		}
	}
	if len(out) == 0 {
		t.Fatalf("no dict in\n%s", text)
	}
	return out
}

func TestEntryChecks(t *testing.T) {
	for _, e := range []Entry{
		{Exe: "pagedeck"},
		{Exe: "./build/pagedeck"},
		{Exe: "/usr/bin/page\ndeck"},
		{Exe: "/usr/bin/pagedeck", Args: []string{"--hidden\x00"}},
	} {
		e.Dir = t.TempDir()
		if err := e.Enable(); err == nil {
			t.Errorf("Enable(%q, %q) accepted", e.Exe, e.Args)
		}
	}
}

// TestDesktopEntryText checks the .desktop text on every system; on Linux
// the XDG test also writes it and runs desktop-file-validate.
func TestDesktopEntryText(t *testing.T) {
	e := Entry{Exe: `/opt/a b/$x/"q"/back\slash/100%/pagedeck`, Args: []string{"--hidden"}}
	text := desktopEntry(e)
	if got := runs(parseExec(t, desktopValue(t, text, "Exec"))); !slices.Equal(got, []string{e.Exe, "--hidden"}) {
		t.Errorf("Exec runs %q", got)
	}
	for _, line := range []string{"[Desktop Entry]\n", "\nType=Application\n", "\nName=Pagedeck\n", "\nIcon=com.github.pagedeck\n", "\nTerminal=false\n"} {
		if !strings.Contains(text, line) {
			t.Errorf("no %q in\n%s", line, text)
		}
	}
	if !desktopEnabled(text) || desktopEnabled(text+"Hidden=true\n") || desktopEnabled(strings.Replace(text, "Autostart-enabled=true", "Autostart-enabled=false", 1)) {
		t.Error("desktopEnabled misreads the entry")
	}
	// A key of another group does not count.
	if !desktopEnabled(text + "[Desktop Action x]\nHidden=true\n") {
		t.Error("Hidden=true in another group switched the entry off")
	}
	if desktopPath(Entry{Dir: "/home/ada/.config/autostart"}) != "/home/ada/.config/autostart/com.github.pagedeck.desktop" {
		t.Error(desktopPath(Entry{Dir: "/home/ada/.config/autostart"}))
	}
}

func desktopValue(t *testing.T, text, key string) string {
	t.Helper()
	for line := range strings.Lines(text) {
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), key+"="); ok {
			return v
		}
	}
	t.Fatalf("no %s= in\n%s", key, text)
	return ""
}

// unescapeString undoes the spec's string escapes (\s \n \t \r \\).
func unescapeString(s string) string {
	r := strings.NewReplacer(`\\`, `\`, `\s`, " ", `\n`, "\n", `\t`, "\t", `\r`, "\r")
	return r.Replace(s)
}

// parseExec reads an Exec value as a desktop does (the Desktop Entry
// Specification, "The Exec key"): string escapes first, then arguments
// split on spaces, double quotes group, and inside them a backslash
// escapes ", `, $ and \; %% is a literal %.
func parseExec(t *testing.T, v string) []string {
	t.Helper()
	s := unescapeString(v)
	var args []string
	var cur strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\':
			i++
			if i >= len(s) || !strings.ContainsRune("\"`$\\", rune(s[i])) {
				t.Fatalf("Exec %q: bad escape inside quotes", v)
			}
			cur.WriteByte(s[i])
		case quoted && c == '"':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == '"':
			quoted, inArg = true, true
		case c == ' ':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		case strings.ContainsRune("\t\n'\\><~|&;$*?#()`", rune(c)):
			t.Fatalf("Exec %q: reserved character %q outside quotes", v, c)
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if quoted {
		t.Fatalf("Exec %q: unclosed quote", v)
	}
	if inArg {
		args = append(args, cur.String())
	}
	for i, a := range args {
		if strings.Contains(strings.ReplaceAll(a, "%%", ""), "%") {
			t.Fatalf("Exec %q: argument %q has a field code", v, a)
		}
		args[i] = strings.ReplaceAll(a, "%%", "%")
	}
	return args
}

// runs is the program and arguments that an Exec's argv finally runs: the
// argv itself, or what it hands to /bin/sh -c 'exec "$0" "$@"'.
func runs(argv []string) []string {
	if len(argv) >= 4 && slices.Equal(argv[:3], []string{"/bin/sh", "-c", execViaShell}) {
		return argv[3:]
	}
	return argv
}
