// Package widgets holds the window's reusable pieces: the sidebar's tap
// row, the icon button with a tip and the tips' layer, the place line
// under a result, the split and preview layouts, and the theme. They know
// nothing of Notion, the window or the core.
package widgets
