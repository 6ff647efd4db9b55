package notion

// What Pagedeck lists: a page or a data source, with its icon.

import (
	"strings"
	"time"
)

// Kind is what an Item is. Data sources are listed as databases: to a person
// they are the database they belong to.
type Kind string

// Icon is an item's icon: an emoji, an image URL, or nothing (zero value).
type Icon struct {
	Emoji string
	URL   string
	// Expires is true for Notion-hosted files, whose signed URL dies within
	// hours: cache the image, never the URL.
	Expires bool
}

// IsZero reports an item with no icon.
func (i Icon) IsZero() bool { return i.Emoji == "" && i.URL == "" }

// String is the emoji, or the image URL, or "".
func (i Icon) String() string {
	if i.Emoji != "" {
		return i.Emoji
	}
	return i.URL
}

// Item is a page or database shared with the connection.
type Item struct {
	ID       string
	Kind     Kind
	Title    string // "" when the item has no title; see DisplayTitle
	URL      string
	Icon     Icon
	ParentID string // Parent.ID: "" under the workspace
	// Parent is where the item lives, with its type; see notion-api.md.
	Parent Parent
	// DatabaseParent is, for a data source, where its database container
	// lives: the data source's own Parent is that container, which search
	// never returns. The zero Parent for pages and older database objects.
	DatabaseParent Parent
	LastEdited     time.Time
	InTrash        bool
}

// DisplayTitle is the title as Notion shows it: "Untitled" when empty.
func (it Item) DisplayTitle() string {
	if strings.TrimSpace(it.Title) == "" {
		return "Untitled"
	}
	return it.Title
}
