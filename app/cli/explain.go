package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pagedeck/pagedeck/app"
	"github.com/pagedeck/pagedeck/app/store"
	"github.com/pagedeck/pagedeck/auth"
)

// explain turns the errors a person meets into one line that says what to
// do on the command line. The core's errors name the problem; the fix in
// command-line terms is added here (the window offers buttons instead).
func explain(err error) error {
	var fse *app.FirstSyncError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, auth.ErrDenied):
		return errors.New("access was not granted: the consent page was cancelled in the browser; run 'pagedeck connect' again to retry")
	case errors.Is(err, auth.ErrTimeout):
		return errors.New("timed out waiting for the browser to come back; run 'pagedeck connect' again (use --no-browser to copy the link by hand)")
	case errors.As(err, &fse):
		return fmt.Errorf("%w (run 'pagedeck sync' to try again)", err)
	case errors.Is(err, app.ErrNeedsReconnect):
		return fmt.Errorf("%w: reconnect it with 'pagedeck connect'", err)
	case errors.Is(err, app.ErrNotConfigured):
		return fmt.Errorf("%w: set PAGEDECK_CLIENT_ID and PAGEDECK_CLIENT_SECRET (or PAGEDECK_BROKER_URL), or enter them in the window's Settings; see \"Register a Notion connection\" in the README", err)
	case errors.Is(err, app.ErrNoInsertContent), errors.Is(err, app.ErrCannotLook):
		return fmt.Errorf("%w; then 'pagedeck connect' and 'pagedeck outbox send'", err)
	case errors.Is(err, app.ErrRejected):
		return fmt.Errorf("%w; see 'pagedeck outbox', and 'pagedeck outbox drop ID' to give it up", err)
	case errors.Is(err, app.ErrUnknownItem):
		return fmt.Errorf("%w (run 'pagedeck sync' if it is new)", err)
	case errors.Is(err, app.ErrUnknownWorkspace):
		return fmt.Errorf("%w (see 'pagedeck workspaces')", err)
	case errors.Is(err, app.ErrRevokeFailed):
		return fmt.Errorf("%w; try again, or disconnect with --keep-grant and remove Pagedeck under Settings → Connections in Notion", err)
	case errors.Is(err, store.ErrCorrupt) && strings.Contains(err.Error(), "left it untouched"):
		return fmt.Errorf("%w. To start afresh, move the file away and run 'pagedeck connect' for each workspace", err)
	}
	return err
}
