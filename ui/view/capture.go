package view

import "github.com/pagedeck/pagedeck/app"

// QueuedText is what a capture that could not go now says.
const QueuedText = "Queued: will send when Notion is reachable"

// CaptureOutcome is what the status line says once the outbox tried to
// send a capture: made, queued, or held and why. target is the page it
// went under or to; sent is nil when the capture was not tried (one
// before it in its workspace's queue could not go).
func CaptureOutcome(kind app.OutboxKind, title, target string, sent *app.Sent) string {
	switch {
	case sent == nil:
		return QueuedText
	case sent.Done && kind == app.OutboxAppend:
		return "Added to “" + target + "”"
	case sent.Done:
		return "Created “" + title + "” in “" + target + "”"
	case sent.Item.State == app.OutboxNeedsPermission:
		return "Not sent: " + sent.Item.Error + " It waits in the outbox."
	case sent.Item.State == app.OutboxRejected:
		return "Notion refused it: " + sent.Item.Error + " It stays in the outbox; drop it there."
	}
	return QueuedText
}

// OutboxLine is one waiting capture as the outbox panel lists it: what it
// is, where it goes, and where it stands. parent is the target page's
// title ("" when it is not in the local list).
func OutboxLine(it app.OutboxItem, parent string) string {
	if parent == "" {
		parent = "a page no longer listed"
	}
	what := "New page “" + it.Title + "” in “" + parent + "”"
	if it.Kind == app.OutboxAppend {
		what = "Note for “" + parent + "”"
	}
	switch it.State {
	case app.OutboxNeedsPermission:
		return what + " · needs permission: " + it.Error
	case app.OutboxRejected:
		return what + " · refused by Notion: " + it.Error
	}
	if it.Attempts > 0 && it.Error != "" {
		return what + " · waiting: " + it.Error
	}
	return what + " · waiting to be sent"
}

// OutboxHead is the panel's heading for n waiting captures.
func OutboxHead(n int) string {
	if n == 1 {
		return "1 capture waits to be sent"
	}
	return app.Thousands(n) + " captures wait to be sent"
}
