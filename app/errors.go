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
	ErrNotConfigured = errors.New("no Notion connection is configured")
	// ErrUnknownWorkspace: no workspace has that id or name.
	ErrUnknownWorkspace = errors.New("no such workspace")
	// ErrUnknownItem: no cached item has that id.
	ErrUnknownItem = errors.New("no cached page or database has that id")
	// ErrUnsafeURL: the item's URL is not a Notion https URL.
	ErrUnsafeURL = errors.New("refusing to open a URL that is not an https link on Notion's domains")
	// ErrLocalLink: a link in a page's text leads to this computer or the
	// local network (localhost, 127.0.0.1, 169.254.169.254, 10.x...).
	ErrLocalLink = errors.New("refusing to open a link to this computer or the local network")
	// ErrNoOpener: nothing on this system opens web links.
	ErrNoOpener = errors.New("no program is set up to open web links")
	// ErrOpenerFailed: the program that opens links ran but did not open it.
	ErrOpenerFailed = errors.New("the program that opens web links could not open it")
	// ErrRevokeFailed: Notion could not be told to revoke a grant, so nothing
	// was deleted; forgetting the workspace without revoking is the way out.
	ErrRevokeFailed = errors.New("could not revoke access at Notion")
)

// ReconnectError says which workspace lost access and why.
type ReconnectError struct {
	Workspace string // name
	Reason    string
	Err       error // what Notion or the keychain said
}

func (e *ReconnectError) Error() string {
	return fmt.Sprintf("access to %s was revoked or has expired (%s)", e.Workspace, e.Reason)
}
func (e *ReconnectError) Is(target error) bool { return target == ErrNeedsReconnect }
func (e *ReconnectError) Unwrap() error        { return e.Err }

// FirstSyncError: the connection was made and kept, but the first sync
// failed; the workspace is there and a later sync can fill it.
type FirstSyncError struct{ Err error }

func (e *FirstSyncError) Error() string {
	return "connected, but the first sync failed: " + e.Err.Error()
}
func (e *FirstSyncError) Unwrap() error { return e.Err }

// The errors of the layers below that the window branches on, so it needs
// only this package.
var (
	ErrKeychainUnavailable = auth.ErrKeychainUnavailable
	ErrDenied              = auth.ErrDenied
	ErrTimeout             = auth.ErrTimeout
	ErrPortInUse           = auth.ErrPortInUse
	ErrPort80              = auth.ErrPort80
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
