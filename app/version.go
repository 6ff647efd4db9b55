package app

// Version and Commit are set at link time by release builds
// (-ldflags "-X github.com/pagedeck/pagedeck/app.Version=…").
var (
	Version = "dev"
	Commit  = "unknown"
)

// ID is the app's identifier: Fyne's app ID and the default keychain service.
const ID = "com.github.pagedeck"

// UserAgent is what Pagedeck calls itself on the wire.
func UserAgent() string { return "pagedeck/" + Version }
