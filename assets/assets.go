// Package assets holds Pagedeck's embedded resources: the app icon.
package assets

import _ "embed"

//go:generate go run render_icon.go

// IconPNG is the 512 px app icon, rendered from icon.svg.
//
//go:embed icon.png
var IconPNG []byte

// IconSVG is the icon's vector source.
//
//go:embed icon.svg
var IconSVG []byte
