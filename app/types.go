package app

import (
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/notion"
)

// The types of the layers below that views use, so a view needs only app.
type (
	// Kind is page or database.
	Kind = store.Kind
	// Status is a workspace's persistent state.
	Status = store.Status
	// Secret is a token or client secret that redacts itself when printed.
	Secret = notion.Secret
)

const (
	KindPage             = store.KindPage
	KindDatabase         = store.KindDatabase
	StatusOK             = store.StatusOK
	StatusNeedsReconnect = store.StatusNeedsReconnect
)
