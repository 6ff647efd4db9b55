package app

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/pagedeck/pagedeck/auth"
)

// Errors a user sees; each says how to fix what it reports.
var (
	// ErrNeedsReconnect wraps a *ReconnectError.
	ErrNeedsReconnect = errors.New("the workspace needs to be reconnected")
	// ErrNotConfigured: no way to run the OAuth flow is set up.
	ErrNotConfigured = errors.New("no Notion connection is configured: set PAGEDECK_CLIENT_ID and PAGEDECK_CLIENT_SECRET (or PAGEDECK_BROKER_URL), or enter them in Settings; see \"Register a Notion connection\" in the README")
	// ErrUnknownWorkspace: no workspace has that id or name.
	ErrUnknownWorkspace = errors.New("no such workspace")
	// ErrUnknownItem: no cached item has that id.
	ErrUnknownItem = errors.New("no cached page or database has that id (run 'pagedeck sync' if it is new)")
	// ErrUnsafeURL: the item's URL is not a Notion https URL.
	ErrUnsafeURL = errors.New("refusing to open a URL that is not an https link on Notion's domains")
)

// ReconnectError says which workspace lost access and why.
type ReconnectError struct {
	Workspace string // name
	Reason    string
	Err       error // what Notion or the keychain said
}

func (e *ReconnectError) Error() string {
	return fmt.Sprintf("access to %s was revoked or has expired (%s): reconnect it with 'pagedeck connect' or the Reconnect button", e.Workspace, e.Reason)
}
func (e *ReconnectError) Is(target error) bool { return target == ErrNeedsReconnect }
func (e *ReconnectError) Unwrap() error        { return e.Err }

// FirstSyncError: the connection was made and kept, but the first sync
// failed; the workspace is there and a later sync can fill it.
type FirstSyncError struct{ Err error }

func (e *FirstSyncError) Error() string {
	return "connected, but the first sync failed: " + e.Err.Error() + " (run 'pagedeck sync' to try again)"
}
func (e *FirstSyncError) Unwrap() error { return e.Err }

// The errors of the layers below that the window branches on, so it needs
// only this package.
var (
	ErrKeychainUnavailable = auth.ErrKeychainUnavailable
	ErrDenied              = auth.ErrDenied
	ErrTimeout             = auth.ErrTimeout
	ErrPortInUse           = auth.ErrPortInUse
	ErrFlowInProgress      = auth.ErrFlowInProgress
	ErrInvalidToken        = auth.ErrInvalidToken
)

// KeychainHint says how to fix an unavailable keychain on this OS.
func KeychainHint(err error) string {
	var ke *auth.KeychainError
	if errors.As(err, &ke) {
		return ke.Hint
	}
	return auth.KeychainHint(runtime.GOOS)
}
