package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app"
)

// The states the body shows instead of results. Each text wraps or is cut,
// so a long query or name never widens the window.

// emptyActions are the buttons the empty states offer.
type emptyActions struct {
	connect, addToken, settings, retry func()
	openGuide                          func()
}

func centred(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(append(append([]fyne.CanvasObject{layout.NewSpacer()}, objs...), layout.NewSpacer())...)
}

func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func paragraph(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Alignment = fyne.TextAlignCenter
	return l
}

func button(label string, icon fyne.Resource, imp widget.Importance, tapped func()) fyne.CanvasObject {
	b := widget.NewButtonWithIcon(label, icon, tapped)
	b.Importance = imp
	return container.NewCenter(b)
}

// welcomeCard greets someone with no workspace yet.
func welcomeCard(configured bool, acts emptyActions) fyne.CanvasObject {
	objs := []fyne.CanvasObject{
		heading("Welcome to Pagedeck"),
		paragraph("Pagedeck lists every page and database your Notion workspaces share with it, searchable as you type. " +
			"Connect as many workspaces as you like; Enter opens a page in your browser or the Notion app."),
	}
	if configured {
		objs = append(objs, button("Connect a Notion workspace", theme.ContentAddIcon(), widget.HighImportance, acts.connect))
	} else {
		objs = append(objs,
			paragraph("To connect, Pagedeck needs a Notion connection: register a public connection in Notion's developer portal, "+
				"then enter its client ID and secret in Settings (or set a token broker)."),
			button("How to register a Notion connection", theme.HelpIcon(), widget.LowImportance, acts.openGuide),
			button("Open Settings", theme.SettingsIcon(), widget.HighImportance, acts.settings))
	}
	objs = append(objs, button("Or add an internal connection's token…", nil, widget.LowImportance, acts.addToken))
	return centred(objs...)
}

// noResults says nothing matched, and how to share a missing page.
func noResults(query string, acts emptyActions) fyne.CanvasObject {
	return centred(
		heading(fmt.Sprintf("No pages match “%s”", query)),
		paragraph("Missing a page? Share it with Pagedeck in Notion, or choose more pages on Notion's consent page."),
		button("Choose more pages", theme.ContentAddIcon(), widget.LowImportance, acts.connect))
}

// nothingShared is a workspace whose finished sync found nothing.
func nothingShared(acts emptyActions) fyne.CanvasObject {
	return centred(
		heading("Nothing shared yet"),
		paragraph("This workspace shares no pages with Pagedeck. Share pages with it in Notion, or choose them on Notion's consent page."),
		button("Choose pages", theme.ContentAddIcon(), widget.LowImportance, acts.connect))
}

// loading is a first sync under way.
func loading(names string, items int) fyne.CanvasObject {
	spin := widget.NewActivity()
	spin.Start()
	text := "Loading pages from " + names + "…"
	if items > 0 {
		text += " " + app.Thousands(items) + " so far"
	}
	return centred(container.NewCenter(spin), heading(text))
}

// firstSyncFailed is a workspace that never synced because its sync failed.
func firstSyncFailed(name, why string, acts emptyActions) fyne.CanvasObject {
	return centred(
		heading("Could not load the pages of "+name),
		paragraph(why),
		button("Try again", theme.ViewRefreshIcon(), widget.HighImportance, acts.retry))
}
