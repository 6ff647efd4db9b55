package autostart

import (
	"bytes"
	"encoding/xml"
	"path/filepath"
)

// launchAgentPath is the macOS LaunchAgent file.
func launchAgentPath(e Entry) string { return filepath.Join(e.Dir, ID+".plist") }

// launchAgent is the LaunchAgent's property list: launchd runs
// ProgramArguments (no shell, so no quoting beyond XML's) once at login,
// in the user's graphical session.
func launchAgent(e Entry) []byte {
	var b bytes.Buffer
	str := func(s string) {
		b.WriteString("<string>")
		_ = xml.EscapeText(&b, []byte(s))
		b.WriteString("</string>")
	}
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString("<plist version=\"1.0\">\n<dict>\n")
	b.WriteString("\t<key>Label</key>\n\t")
	str(ID)
	b.WriteString("\n\t<key>ProgramArguments</key>\n\t<array>\n")
	for _, a := range append([]string{e.Exe}, e.Args...) {
		b.WriteString("\t\t")
		str(a)
		b.WriteString("\n")
	}
	b.WriteString("\t</array>\n")
	b.WriteString("\t<key>RunAtLoad</key>\n\t<true/>\n")
	b.WriteString("\t<key>ProcessType</key>\n\t<string>Interactive</string>\n")
	b.WriteString("\t<key>LimitLoadToSessionType</key>\n\t<string>Aqua</string>\n")
	b.WriteString("</dict>\n</plist>\n")
	return b.Bytes()
}
