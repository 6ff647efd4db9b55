package ui

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/notion/notiontest"
	"github.com/pagedeck/pagedeck/ui/dialogs"
)

func (f *fixture) dialogOpen() bool { return f.w.views.modals.Any() }

// Esc closes every dialog, wherever the focus is inside it.
func TestEscClosesEveryDialog(t *testing.T) {
	f := newFixture(t, nil)
	ws := f.seedConnected("Acme", 1, 20)
	f.open()
	open := map[string]func(){
		"settings":   func() { f.shortcut(fyne.KeyComma, 0); f.pump("settings", f.dialogOpen) },
		"add token":  func() { f.clickOn(f.sideAction("Add an internal token…")) },
		"disconnect": func() { f.rightClick(f.centre(f.sidebarRow("Acme").TapRow)); f.clickMenuItem("Disconnect…") },
		"message":    func() { f.w.showMessage("Hello", "A message") },
		"connect": func() {
			f.shortcut(fyne.KeyN, 0)
			f.pump("the consent URL", func() bool { return len(f.op.opened()) > 0 })
		},
	}
	for name, show := range open {
		for _, focusFirst := range []bool{true, false} {
			show()
			if !f.dialogOpen() {
				t.Fatalf("%s: no dialog", name)
			}
			if !focusFirst {
				f.canvas().Unfocus()
			}
			f.key(fyne.KeyEscape)
			f.pump(name+" to close", func() bool { return !f.dialogOpen() && f.w.connect == nil })
		}
	}
	if f.Emu.ActiveGrants(ws) != 1 {
		t.Error("Esc on the disconnect dialog disconnected")
	}
	if f.canvas().Focused() != f.w.views.bar.entry {
		t.Errorf("after the dialogs the focus is on %T, not the search box", f.canvas().Focused())
	}
}

// Enter confirms: OK closes a message, Add adds the token, Save saves.
func TestEnterConfirmsDialogs(t *testing.T) {
	f := newFixture(t, nil)
	f.open()
	f.w.showMessage("Hello", "A message")
	f.key(fyne.KeyReturn)
	if f.dialogOpen() {
		t.Error("Enter did not close the message")
	}

	ws := f.addWorkspace("Internal", "🔑", 21, 15)
	token := f.Emu.AddInternalToken(ws)
	f.clickOn(f.sideAction("Add an internal token…"))
	f.typeText(token)
	f.key(fyne.KeyReturn)
	f.pump("the workspace", func() bool { return !f.dialogOpen() && f.w.st.Selected == ws && len(f.w.views.results.hits) > 0 })
	// Its pages' content follows, as after a browser connect.
	f.pump("the content of its pages", func() bool { return f.core.Content(ws).Pages > 0 })

	f.shortcut(fyne.KeyComma, 0)
	f.pump("settings", f.dialogOpen)
	f.shortcut(fyne.KeyA, 0) // the Client ID field has the focus
	f.typeText("not a client id")
	if f.w.views.modals.Top().OnConfirm == nil {
		t.Fatal("settings has no confirm")
	}
	f.key(fyne.KeyReturn)
	if !f.dialogOpen() {
		t.Fatal("Enter saved an invalid client ID")
	}
	f.shortcut(fyne.KeyA, 0)
	f.typeText("")
	f.key(fyne.KeyBackspace)
	f.key(fyne.KeyReturn)
	f.pump("the save", func() bool { return !f.dialogOpen() })
}

// The disconnect dialog says what it does, and Enter does not disconnect.
func TestDisconnectConfirmation(t *testing.T) {
	f := newFixture(t, nil)
	a := f.seedConnected("Acme", 15, 40)
	b := f.seedConnected("Home", 16, 30)
	f.open()
	f.rightClick(f.centre(f.sidebarRow("Acme").TapRow))
	f.clickMenuItem("Disconnect…")
	txt := f.texts()
	if !strings.Contains(txt, "[Disconnect]") || !strings.Contains(txt, "[Cancel]") || strings.Contains(txt, "[Yes]") {
		t.Fatalf("the buttons do not say what they do:\n%s", txt)
	}
	if d, ok := f.canvas().Focused().(*dialogs.Button); !ok || d.Text != "Cancel" {
		t.Errorf("the default is %v, not Cancel", f.canvas().Focused())
	}
	if d := f.button("Disconnect").(*dialogs.Button); d.Importance == widget.HighImportance {
		t.Error("the destructive button is the highlighted default")
	}
	f.key(fyne.KeyReturn)
	if f.dialogOpen() || f.Emu.ActiveGrants(a) != 1 {
		t.Fatal("Enter disconnected")
	}
	f.rightClick(f.centre(f.sidebarRow("Acme").TapRow))
	f.clickMenuItem("Disconnect…")
	f.clickOn(f.button("Disconnect"))
	f.pump("Acme to go", func() bool { return len(f.w.st.Workspaces) == 1 })
	for _, h := range f.w.views.results.hits {
		if h.WorkspaceID == a {
			t.Fatal("Acme's items stay")
		}
	}
	if f.Emu.ActiveGrants(a) != 0 {
		t.Error("Acme's grant is still active")
	}
	f.pump("the confirmation", func() bool { return f.w.views.status.current() == "Disconnected Acme" })
	// Revoking fails: the window offers to forget the workspace anyway.
	f.Emu.FailNext("/v1/oauth/revoke", 20, notiontest.FaultServerError)
	f.rightClick(f.centre(f.sidebarRow("Home").TapRow))
	f.clickMenuItem("Disconnect…")
	f.clickOn(f.button("Disconnect"))
	f.pump("the offer", func() bool { return strings.Contains(f.texts(), "Could not revoke access to Home") })
	f.clickOn(f.button("Forget Home"))
	f.pump("Home to go", func() bool { return len(f.w.st.Workspaces) == 0 })
	if _, err := f.Vault.Load(context.Background(), b); err == nil {
		t.Error("Home's token is still in the keychain")
	}
}

// Settings: each field says what is wrong with it, once, as it is typed;
// Save is off while anything is wrong.
func TestSettingsValidation(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.Config.ClientID, f.Config.ClientSecret = "", "" })
	f.open()
	f.shortcut(fyne.KeyComma, 0)
	f.pump("settings", f.dialogOpen)
	save := f.button("Save").(*dialogs.Button)
	if save.Disabled() {
		t.Error("Save is off for empty, valid settings")
	}
	f.typeText("bad id")
	if !save.Disabled() || strings.Count(f.labels(), "does not look like a Notion client ID") != 1 {
		t.Errorf("an invalid client ID: Save disabled %v; errors:\n%s", save.Disabled(), f.labels())
	}
	for range 6 {
		f.key(fyne.KeyBackspace)
	}
	if save.Disabled() || strings.Contains(f.labels(), "bad id") {
		t.Errorf("the error stayed after the field was cleared:\n%s", f.labels())
	}
	f.tabTo(func(o fyne.Focusable) bool {
		e, ok := o.(*dialogs.Entry)
		return ok && strings.HasPrefix(e.PlaceHolder, "https://broker")
	})
	f.typeText("http://broker.example.com")
	if !save.Disabled() {
		t.Error("Save is on with a plain-http broker")
	}
	f.shortcut(fyne.KeyA, 0)
	f.typeText("https://broker.example.com")
	if save.Disabled() || strings.Count(f.labels(), "broker") > 1 {
		t.Errorf("after fixing the broker URL: Save disabled %v\n%s", save.Disabled(), f.labels())
	}
	f.clickOn(save)
	f.pump("the save", func() bool { return !f.dialogOpen() })
	if s, _ := f.core.Settings(context.Background()); s.BrokerURL != "https://broker.example.com" {
		t.Errorf("saved broker %q", s.BrokerURL)
	}
	// Now Pagedeck can connect: the welcome card offers it.
	f.pump("the welcome card", func() bool { return strings.Contains(f.texts(), "[Connect a Notion workspace]") })
}

// Settings open without a keychain; the secret says why it cannot change,
// and the rest saves.
func TestSettingsWithoutAKeychain(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.Config.ClientID, f.Config.ClientSecret = "", "" })
	f.open()
	f.Vault.SetErr(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	f.clickOn(f.sideAction("Settings"))
	f.pump("settings", f.dialogOpen)
	if !strings.Contains(f.labels(), "The keychain is unavailable") {
		t.Errorf("no word on the keychain:\n%s", f.labels())
	}
	f.clickOn(f.button("Save"))
	f.pump("the save", func() bool { return !f.dialogOpen() })
}

// In demo mode the connection fields say the demo sets them.
func TestSettingsInTheDemo(t *testing.T) {
	f := newFixture(t, func(f *fixture) { f.Config.Demo = true })
	f.open()
	f.shortcut(fyne.KeyComma, 0)
	f.pump("settings", f.dialogOpen)
	var placeholders []string
	walk(f.canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if e, ok := o.(*dialogs.Entry); ok {
			placeholders = append(placeholders, e.PlaceHolder)
		}
	})
	got := strings.Join(placeholders, "|")
	if strings.Contains(got, "PAGEDECK_") || strings.Count(got, "set by the demo") != 3 {
		t.Errorf("placeholders %q", got)
	}
}

// The connect dialog says whether the browser opened; when it did not, it
// says why in plain words and offers the link.
func TestConnectDialogWhenNoBrowserOpens(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 11, 10)
	f.open()
	f.op.err = app.ErrNoOpener
	f.clickOn(f.sideAction("Connect a workspace"))
	f.pump("the consent URL", func() bool { return len(f.op.opened()) == 1 })
	f.settle()
	txt := f.labels()
	if !strings.Contains(txt, "Pagedeck could not open your browser") || !strings.Contains(txt, "No program is set up to open web links") ||
		strings.Contains(txt, "opened Notion") || strings.Contains(txt, "executable file") {
		t.Fatalf("connect dialog:\n%s", txt)
	}
	f.key(fyne.KeyReturn) // Enter copies the link
	if got := fyne.CurrentApp().Clipboard().Content(); got != f.op.opened()[0] {
		t.Errorf("Copy link put %q", got)
	}
	f.clickOn(f.button("Cancel"))
	f.pump("the flow to end", func() bool { return f.w.connect == nil })
	// The listener is gone: the browser finds nothing.
	if resp, err := http.Get(f.Config.RedirectURI + "?code=x&state=y"); err == nil {
		resp.Body.Close()
		t.Error("the callback still answers after Cancel")
	}
	f.op.err = nil
	f.clickOn(f.sideAction("Connect a workspace"))
	f.pump("a second flow", func() bool { return len(f.op.opened()) == 2 })
	f.settle()
	if txt := f.labels(); !strings.Contains(txt, "Your browser opened Notion's consent page") {
		t.Errorf("after a good open:\n%s", txt)
	}
	f.key(fyne.KeyEscape)
	f.pump("the second flow to end", func() bool { return f.w.connect == nil })
}

func TestConnectDeniedDialog(t *testing.T) {
	f := newFixture(t, nil)
	f.Emu.AddWorkspace(notiontest.WorkspaceSpec{Name: "Acme"})
	f.Emu.SetAutoDeny(true)
	f.op.follow = true
	f.open()
	f.clickOn(f.button("Connect a Notion workspace"))
	f.pump("the denial", func() bool { return strings.Contains(f.labels(), "You cancelled on Notion's page") })
}

func TestKeychainUnavailableDialog(t *testing.T) {
	f := newFixture(t, nil)
	f.seedConnected("Acme", 13, 20)
	f.open()
	f.Vault.SetErr(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	f.shortcut(fyne.KeyR, 0)
	f.pump("the keychain dialog", func() bool { return strings.Contains(f.labels(), app.KeychainHint(nil)) })
}
