package ui

import (
	"errors"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/ui/dialogs"
	"github.com/pagedeck/pagedeck/ui/view"
)

// The window's side of capture, for the main window and Quick Open: the
// form keeps what was typed in the outbox (on disk before anything is
// sent), then the outbox sends it, and the person hears what became of it.

// capture opens "New page in…" or "Append to…" for h on stack, and says
// what became of it through say.
func (w *Window) capture(h *app.Hit, kind app.OutboxKind, stack *dialogs.Stack, say func(string)) {
	if h == nil {
		return
	}
	target := app.DisplayTitle(h.Title)
	if h.Kind != app.KindPage && kind == app.OutboxAppend {
		dialogs.Message(stack, "A database takes rows, not notes",
			"Pagedeck appends notes to a page. To add to “"+target+"”, make a new row in it ("+shiftShortcutLabel("N")+").")
		return
	}
	submit := func(title, body string, props map[string]string, done func(error)) {
		w.background(func() {
			it, err := w.core.Outbox().Capture(w.ctx, app.Capture{Kind: kind, Parent: h.ID, Title: title, Body: body, Props: props})
			w.do(func() {
				if err != nil {
					done(errors.New(app.Explain(err)))
					return
				}
				done(nil)
				w.sendCapture(it, target, say)
			})
		})
	}
	if h.Kind == app.KindPage {
		dialogs.Capture{Append: kind == app.OutboxAppend, Target: target, OnSubmit: submit}.Show(stack)
		return
	}
	// A database: its properties make the form, read off the UI goroutine
	// (the schema may have to come from Notion).
	w.background(func() {
		fields, err := w.core.Outbox().Form(w.ctx, h.ID)
		w.do(func() {
			if err != nil {
				dialogs.Message(stack, "Cannot add a row to “"+target+"”", app.Explain(err))
				return
			}
			dialogs.Capture{Target: target, Fields: fields, OnSubmit: submit}.Show(stack)
		})
	})
}

// sendCapture sends the outbox of it's workspace now, at once, and says
// what became of it.
func (w *Window) sendCapture(it app.OutboxItem, target string, say func(string)) {
	say("Sending to Notion…")
	w.background(func() {
		sent, _ := w.core.Outbox().Send(w.ctx, app.SendOptions{Workspace: it.Workspace})
		var mine *app.Sent
		for i := range sent {
			if sent[i].Item.ID == it.ID {
				mine = &sent[i]
			}
		}
		// An error of Send itself (the outbox busy in another process)
		// leaves it queued: that process or the next refresh sends it.
		msg := view.CaptureOutcome(it.Kind, it.Title, target, mine)
		w.do(func() { say(msg) })
	})
}

// captureCurrent is the main window's keys for the highlighted row.
func (w *Window) captureCurrent(kind app.OutboxKind) {
	w.capture(w.views.results.current(), kind, w.views.modals, w.views.status.confirm)
}

// reloadCaptureTarget reads the default capture target off the UI
// goroutine.
func (w *Window) reloadCaptureTarget() {
	h, _ := w.core.Outbox().Target()
	w.do(func() { w.st.CaptureTarget = h })
}

// setCaptureTarget makes h the default for new pages from Quick Open, or
// clears it (nil).
func (w *Window) setCaptureTarget(h *app.Hit) {
	id, said := "", "New pages from Quick Open no longer have a default place"
	if h != nil {
		id, said = h.ID, "New pages from Quick Open go to “"+app.DisplayTitle(h.Title)+"”"
	}
	w.background(func() {
		err := w.core.Outbox().SetTarget(id)
		w.do(func() {
			if err != nil {
				w.showError("Could not set the default for new pages", err)
				return
			}
			w.st.CaptureTarget = h
			w.views.status.confirm(said)
		})
	})
}

// captureQuick makes a page titled title in the default target at once:
// the hotkey, a title and Enter. say reports on Quick Open's hint line.
func (w *Window) captureQuick(title string, say func(string)) {
	target := w.st.CaptureTarget
	if target == nil || title == "" {
		return
	}
	name := app.DisplayTitle(target.Title)
	w.background(func() {
		it, err := w.core.Outbox().Capture(w.ctx, app.Capture{Kind: app.OutboxNew, Parent: target.ID, Title: title})
		w.do(func() {
			if err != nil {
				say("Not kept: " + app.Explain(err))
				return
			}
			w.sendCapture(it, name, say)
		})
	})
}
