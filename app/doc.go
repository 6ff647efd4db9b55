// Package app is Pagedeck's core, free of any GUI: workspaces, connecting,
// syncing, searching, opening and disconnecting, configuration and the events
// the window listens to. The window (ui) and the command line (app/cli) are
// both thin views over Core.
package app
