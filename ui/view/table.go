package view

import "github.com/pagedeck/pagedeck/app"

// TableHead is the line over a database's table: its name and how many of
// its rows show.
func TableHead(name string, shown, total int) string {
	if shown == total {
		return name + " · " + app.Thousands(total) + " rows"
	}
	return name + " · " + app.Thousands(shown) + " of " + app.Thousands(total) + " rows"
}

// ColumnHeading is a column's heading, with an arrow on the one the rows
// are sorted by.
func ColumnHeading(name, sortedBy string, desc bool) string {
	switch {
	case name != sortedBy:
		return name
	case desc:
		return name + " ↓"
	}
	return name + " ↑"
}
