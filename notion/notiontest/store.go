package notiontest

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// WorkspaceSpec describes a workspace. ID is generated (UUID v4 form) when
// empty; Icon is an emoji, an https URL or "". An empty Name is sent as null,
// as Notion's workspace_name is nullable.
type WorkspaceSpec struct {
	ID, Name, Icon        string
	OwnerName, OwnerEmail string
}

// Kind is what a search result is.
type Kind string

// The kinds of searchable items.
const (
	KindPage       Kind = "page"
	KindDataSource Kind = "data_source"
)

// IconSpec is an item's icon. Type is "" (no icon), "emoji", "external",
// "file", "custom_emoji" or "icon".
type IconSpec struct {
	Type  string
	Emoji string // for "emoji"
	URL   string // for "external"; for "file" and "custom_emoji" empty means served by the emulator
	Name  string // for "custom_emoji" and "icon" (Notion's built-in icon name, default "document")
	Color string // for "icon"; default "gray"
}

// ItemSpec describes a page or a data source.
type ItemSpec struct {
	ID   string // generated UUID when empty
	Kind Kind   // default page
	// Title is the plain title; TitleParts, when set, send it as that many
	// rich-text parts (and Title becomes their concatenation).
	Title      string
	TitleParts []string
	// TitleProperty names the page's title property (default "Name" under a
	// data source, "title" otherwise); for a data source it names the
	// schema's title column (default "Name").
	TitleProperty string
	Icon          IconSpec
	// ParentType is "workspace" (default), "page_id", "database_id",
	// "data_source_id", "block_id" or "agent_id" (a newer type clients may
	// not know). A "database_id" parent that names a data source item
	// resolves to that data source's database. For a data source, this is
	// where its database lives (its database_parent); see hierarchy.go.
	ParentType string
	ParentID   string
	// URL is generated when empty: https://app.notion.com/p/<slug>-<32 hex id>.
	URL        string
	LastEdited time.Time // default Clock() truncated to the minute
	Created    time.Time // default a stable time at or before LastEdited
	// DatabaseID is, for a data source, the id of the database that contains
	// it (generated when empty); data sources with the same DatabaseID are
	// one database's and must share its place. Unused for pages.
	DatabaseID string
	InTrash    bool
	Unshared   bool // exists but not shared with the connection: never in search
}

type workspace struct {
	spec    WorkspaceSpec
	botID   string // the public connection's bot in this workspace
	ownerID string // the user who installed it
	order   []string
}

type item struct {
	ItemSpec
	ws        string
	createdBy string // the bot that created it through the API; "" for the owner
	// columns is a data source's schema (datasources.go); values are a
	// row's edited values by column id, over the generated ones.
	columns []column
	values  map[string]cell
}

// AddWorkspace registers a workspace and returns its id.
func (s *Server) AddWorkspace(spec WorkspaceSpec) string {
	if spec.ID == "" {
		spec.ID = newUUID()
	}
	if spec.OwnerName == "" {
		spec.OwnerName = "Avery Quinn"
	}
	if spec.OwnerEmail == "" {
		spec.OwnerEmail = "avery@example.com"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ws, ok := s.workspaces[spec.ID]; ok {
		ws.spec = spec
		return spec.ID
	}
	s.workspaces[spec.ID] = &workspace{spec: spec, botID: newUUID(), ownerID: derivedUUID("owner", spec.ID)}
	s.wsOrder = append(s.wsOrder, spec.ID)
	return spec.ID
}

// Workspaces returns the registered workspaces, in the order they were added.
func (s *Server) Workspaces() []WorkspaceSpec {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]WorkspaceSpec, 0, len(s.wsOrder))
	for _, id := range s.wsOrder {
		out = append(out, s.workspaces[id].spec)
	}
	return out
}

func (s *Server) mustWorkspace(id string) *workspace {
	ws, ok := s.workspaces[id]
	if !ok {
		panic(fmt.Sprintf("notiontest: unknown workspace %q", id))
	}
	return ws
}

func (s *Server) mustItem(id string) *item {
	it, ok := s.items[id]
	if !ok {
		panic(fmt.Sprintf("notiontest: unknown item %q", id))
	}
	return it
}

// AddItem adds a page or data source to a workspace and returns its id. An
// item with an existing id is replaced (and moved to this workspace).
func (s *Server) AddItem(workspaceID string, spec ItemSpec) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.addItemLocked(workspaceID, spec)
	s.webhookLocked("created", s.items[id])
	return id
}

func (s *Server) addItemLocked(workspaceID string, spec ItemSpec) string {
	ws := s.mustWorkspace(workspaceID)
	spec = s.fillDefaults(spec)
	s.checkDatabaseLocked(spec)
	if old, ok := s.items[spec.ID]; ok {
		ows := s.workspaces[old.ws]
		ows.order = removeString(ows.order, spec.ID)
	}
	it := &item{ItemSpec: spec, ws: workspaceID}
	if spec.Kind == KindDataSource {
		it.columns = columnsFor(spec.TitleProperty)
	}
	s.items[spec.ID] = it
	ws.order = append(ws.order, spec.ID)
	return spec.ID
}

func removeString(list []string, v string) []string {
	out := list[:0]
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func (s *Server) fillDefaults(spec ItemSpec) ItemSpec {
	if spec.ID == "" {
		spec.ID = newUUID()
	}
	if spec.Kind == "" {
		spec.Kind = KindPage
	}
	if spec.Kind != KindPage && spec.Kind != KindDataSource {
		panic(fmt.Sprintf("notiontest: unknown kind %q", spec.Kind))
	}
	if len(spec.TitleParts) > 0 {
		spec.TitleParts = slices.Clone(spec.TitleParts)
		spec.Title = strings.Join(spec.TitleParts, "")
	}
	if spec.ParentType == "" {
		spec.ParentType = "workspace"
	}
	checkParent(spec.ParentType, spec.ParentID)
	if spec.ParentType == "workspace" {
		spec.ParentID = ""
	}
	if spec.TitleProperty == "" {
		switch {
		case spec.Kind == KindDataSource:
			spec.TitleProperty = "Name"
		case spec.ParentType == "data_source_id" || spec.ParentType == "database_id":
			spec.TitleProperty = "Name"
			if p, ok := s.items[spec.ParentID]; ok && p.Kind == KindDataSource {
				spec.TitleProperty = p.TitleProperty
			}
		default:
			spec.TitleProperty = "title"
		}
	}
	if spec.Kind == KindDataSource && spec.DatabaseID == "" {
		spec.DatabaseID = derivedUUID("database", spec.ID)
	}
	if spec.LastEdited.IsZero() {
		spec.LastEdited = s.now()
	}
	spec.LastEdited = spec.LastEdited.UTC().Truncate(time.Minute)
	if spec.Created.IsZero() || spec.Created.After(spec.LastEdited) {
		// A stable, plausible creation time: up to 90 days before the edit.
		back := time.Duration(idHash(spec.ID)%(90*24*60)) * time.Minute
		spec.Created = spec.LastEdited.Add(-back)
	}
	spec.Created = spec.Created.UTC().Truncate(time.Minute)
	if spec.URL == "" {
		spec.URL = defaultURL(spec)
	}
	return spec
}

// defaultURL builds the app.notion.com URL Notion gives since 2026.
func defaultURL(spec ItemSpec) string {
	if spec.Kind == KindDataSource {
		return "https://app.notion.com/p/" + compactID(spec.DatabaseID) + "?v=" + compactID(derivedUUID("view", spec.ID))
	}
	if slug := slugify(spec.Title); slug != "" {
		return "https://app.notion.com/p/" + slug + "-" + compactID(spec.ID)
	}
	return "https://app.notion.com/p/" + compactID(spec.ID)
}

// slugify keeps ASCII letters and digits, joined by dashes, like Notion's
// page slugs (accents and emoji are dropped, with letters folded roughly).
func slugify(title string) string {
	var sb strings.Builder
	dash := false
	for _, r := range title {
		if f, ok := foldAccent[r]; ok {
			r = f
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			dash = false
			sb.WriteRune(r)
		default:
			dash = true
		}
	}
	return sb.String()
}

var foldAccent = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ō': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ø': 'o', 'É': 'E', 'Ö': 'O', 'Ü': 'U', 'Ä': 'A', 'Å': 'A',
}

// editedNow is the last_edited_time a real edit gets: minute precision.
func (s *Server) editedNow() time.Time { return s.now().UTC().Truncate(time.Minute) }

// Rename gives an item a new title (one rich-text part) and bumps its
// last_edited_time to Clock() truncated to the minute.
func (s *Server) Rename(itemID, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.mustItem(itemID)
	it.Title = title
	it.TitleParts = nil
	it.LastEdited = s.editedNow()
	s.webhookLocked("properties_updated", it)
}

// Trash moves an item to the trash; last_edited_time is bumped like Rename.
func (s *Server) Trash(itemID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.mustItem(itemID)
	it.InTrash = true
	it.LastEdited = s.editedNow()
	s.webhookLocked("deleted", it)
}

// Restore takes an item out of the trash, bumping last_edited_time.
func (s *Server) Restore(itemID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.mustItem(itemID)
	it.InTrash = false
	it.LastEdited = s.editedNow()
	s.webhookLocked("undeleted", it)
}

// Delete removes an item for good (as when the trash is emptied).
func (s *Server) Delete(itemID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.mustItem(itemID)
	ws := s.workspaces[it.ws]
	ws.order = removeString(ws.order, itemID)
	delete(s.items, itemID)
	if !it.InTrash {
		s.webhookLocked("deleted", it)
	}
}

// Unshare removes an item from the connection's reach: it disappears from
// search; its last_edited_time is unchanged, as sharing is not an edit.
func (s *Server) Unshare(itemID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustItem(itemID).Unshared = true
}

// Share makes an item visible to the connection again.
func (s *Server) Share(itemID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustItem(itemID).Unshared = false
}

// Items returns a snapshot of a workspace's items, in insertion order, with
// all defaults filled in.
func (s *Server) Items(workspaceID string) []ItemSpec {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.mustWorkspace(workspaceID)
	out := make([]ItemSpec, 0, len(ws.order))
	for _, id := range ws.order {
		spec := s.items[id].ItemSpec
		spec.TitleParts = slices.Clone(spec.TitleParts) // callers may not alias ours
		out = append(out, spec)
	}
	return out
}
