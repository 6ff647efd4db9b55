package notiontest

import (
	"fmt"
)

// Where items live. An ItemSpec's ParentType and ParentID say where a page
// lives; for a data source they say where its database container lives
// (rendered as the data source's database_parent, while its parent is the
// container). Search never returns the containers. Data sources that share
// a DatabaseID are the data sources of one database and share its place.

// Move puts an item somewhere else, as dragging it in Notion does, bumps
// its last_edited_time to Clock() truncated to the minute, and sends
// page.moved (data_source.moved) to the webhook. Its
// children move with it without being edited. parentType is one of
// ItemSpec.ParentType's values; parentID is "" for "workspace".
//
// Moving a data source moves its database: every data source of that
// database gets the new place and the bumped time. A page moved into a data
// source takes the data source's title column; one moved out of it, "title".
func (s *Server) Move(itemID, parentType, parentID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.mustItem(itemID)
	checkParent(parentType, parentID)
	if parentType == "workspace" {
		parentID = ""
	}
	if parentType == "data_source_id" || parentType == "database_id" {
		if it.Kind == KindDataSource {
			panic("notiontest: a database cannot live inside a data source")
		}
	}
	if s.descendsFromLocked(parentType, parentID, it) {
		panic(fmt.Sprintf("notiontest: moving %s under its own descendant %s", itemID, parentID))
	}
	now := s.editedNow()
	if it.Kind == KindDataSource {
		for _, other := range s.databaseSourcesLocked(it) {
			other.ParentType, other.ParentID, other.LastEdited = parentType, parentID, now
			s.webhookLocked("moved", other)
		}
		return
	}
	it.ParentType, it.ParentID, it.LastEdited = parentType, parentID, now
	s.webhookLocked("moved", it)
	if ds := s.dataSourceOfLocked(it); ds != nil {
		it.TitleProperty = ds.TitleProperty
	} else {
		it.TitleProperty = "title"
	}
}

// checkParent panics on a parent an ItemSpec cannot have.
func checkParent(parentType, parentID string) {
	switch parentType {
	case "workspace":
	case "page_id", "database_id", "data_source_id", "block_id", "agent_id":
		if parentID == "" {
			panic(fmt.Sprintf("notiontest: parent %s needs a ParentID", parentType))
		}
	default:
		panic(fmt.Sprintf("notiontest: unknown parent type %q", parentType))
	}
}

// databaseSourcesLocked is every data source of ds's database, ds included.
func (s *Server) databaseSourcesLocked(ds *item) []*item {
	out := []*item{ds}
	for _, other := range s.items {
		if other != ds && other.Kind == KindDataSource && other.DatabaseID == ds.DatabaseID {
			out = append(out, other)
		}
	}
	return out
}

// checkDatabaseLocked panics when a data source joins a database that
// already lives somewhere else: one container has one place.
func (s *Server) checkDatabaseLocked(spec ItemSpec) {
	if spec.Kind != KindDataSource {
		return
	}
	for _, other := range s.items {
		if other.ID != spec.ID && other.Kind == KindDataSource && other.DatabaseID == spec.DatabaseID &&
			(other.ParentType != spec.ParentType || other.ParentID != spec.ParentID) {
			panic(fmt.Sprintf("notiontest: data source %s joins database %s, which lives at %s %q, not %s %q",
				spec.ID, spec.DatabaseID, other.ParentType, other.ParentID, spec.ParentType, spec.ParentID))
		}
	}
}

// descendsFromLocked reports whether the place (parentType, parentID) is
// inside it, which would make a loop Notion does not allow.
func (s *Server) descendsFromLocked(parentType, parentID string, it *item) bool {
	seen := map[string]bool{}
	for parentType != "workspace" && parentID != "" && !seen[parentID] {
		seen[parentID] = true
		p, ok := s.items[parentID]
		if !ok {
			p = s.sourceOfDatabaseLocked(parentID)
		}
		if p == nil {
			return false
		}
		if p == it || (it.Kind == KindDataSource && p.Kind == KindDataSource && p.DatabaseID == it.DatabaseID) {
			return true
		}
		parentType, parentID = p.ParentType, p.ParentID
	}
	return false
}

// sourceOfDatabaseLocked finds a data source of the database with this id.
func (s *Server) sourceOfDatabaseLocked(databaseID string) *item {
	for _, it := range s.items {
		if it.Kind == KindDataSource && it.DatabaseID == databaseID {
			return it
		}
	}
	return nil
}
