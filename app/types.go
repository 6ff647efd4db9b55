package app

import (
	"github.com/pagedeck/pagedeck/app/index"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// The types of the layers below that views use, so a view needs only app.
type (
	// Kind is page or database.
	Kind = store.Kind
	// Item is a page or database as last synced.
	Item = store.Item
	// Place is where an item lives: its workspace and the titles above it.
	Place = index.Place
	// Status is a workspace's persistent state.
	Status = store.Status
	// Secret is a token or client secret that redacts itself when printed.
	Secret = notion.Secret
	// OutboxItem is one capture waiting to be sent; OutboxKind says new
	// page or append, OutboxState where it stands.
	OutboxItem  = store.OutboxItem
	OutboxKind  = store.OutboxKind
	OutboxState = store.OutboxState
)

const (
	KindPage             = store.KindPage
	KindDatabase         = store.KindDatabase
	StatusOK             = store.StatusOK
	StatusNeedsReconnect = store.StatusNeedsReconnect

	OutboxNew             = store.OutboxNew
	OutboxAppend          = store.OutboxAppend
	OutboxWaiting         = store.OutboxWaiting
	OutboxNeedsPermission = store.OutboxNeedsPermission
	OutboxRejected        = store.OutboxRejected
)
