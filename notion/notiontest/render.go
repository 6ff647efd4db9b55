package notiontest

import (
	"time"
)

// This file turns items into Notion's JSON objects. Shapes follow the
// requested Notion-Version: data sources from 2025-09-03, databases before;
// "archived" next to "in_trash" up to 2025-09-03.

func richText(parts []string, title string) []any {
	if len(parts) == 0 {
		if title == "" {
			return []any{}
		}
		parts = []string{title}
	}
	out := make([]any, 0, len(parts))
	for _, p := range parts {
		out = append(out, map[string]any{
			"type": "text",
			"text": map[string]any{"content": p, "link": nil},
			"annotations": map[string]any{
				"bold": false, "italic": false, "strikethrough": false,
				"underline": false, "code": false, "color": "default",
			},
			"plain_text": p,
			"href":       nil,
		})
	}
	return out
}

func partialUser(id string) map[string]any {
	return map[string]any{"object": "user", "id": id}
}

func (s *Server) renderIconLocked(it *item, now time.Time) any {
	ic := it.Icon
	switch ic.Type {
	case "emoji":
		return map[string]any{"type": "emoji", "emoji": ic.Emoji}
	case "external":
		return map[string]any{"type": "external", "external": map[string]any{"url": ic.URL}}
	case "file":
		exp := now.Add(s.opts.FileURLTTL).UTC().Truncate(time.Millisecond)
		u := ic.URL
		if u == "" {
			u = s.fileURL("icon", it.ID, exp)
		}
		return map[string]any{"type": "file", "file": map[string]any{"url": u, "expiry_time": notionTime(exp)}}
	case "custom_emoji":
		name := ic.Name
		if name == "" {
			name = "pagedeck"
		}
		u := ic.URL
		if u == "" {
			// Custom emoji images are public and long-lived at Notion.
			u = s.fileURL("emoji", name, time.Time{})
		}
		return map[string]any{"type": "custom_emoji", "custom_emoji": map[string]any{
			"id": derivedUUID("custom_emoji", name), "name": name, "url": u,
		}}
	case "icon":
		name, color := ic.Name, ic.Color
		if name == "" {
			name = "document"
		}
		if color == "" {
			color = "gray"
		}
		return map[string]any{"type": "icon", "icon": map[string]any{"name": name, "color": color}}
	}
	return nil
}

// dataSourceOfLocked returns the data source a page lives in, if any.
func (s *Server) dataSourceOfLocked(it *item) *item {
	if it.ParentType != "data_source_id" && it.ParentType != "database_id" {
		return nil
	}
	if p, ok := s.items[it.ParentID]; ok && p.Kind == KindDataSource {
		return p
	}
	return nil
}

// databaseIDLocked resolves a database_id / data_source_id parent to the
// id of the database container.
func (s *Server) databaseIDLocked(id string) string {
	if p, ok := s.items[id]; ok && p.Kind == KindDataSource {
		return p.DatabaseID
	}
	return id
}

// parentLocked renders a parent of the given type and id.
func (s *Server) parentLocked(typ, id, version string) map[string]any {
	switch typ {
	case "page_id":
		return map[string]any{"type": "page_id", "page_id": id}
	case "block_id":
		return map[string]any{"type": "block_id", "block_id": id}
	case "agent_id":
		return map[string]any{"type": "agent_id", "agent_id": id}
	case "database_id":
		return map[string]any{"type": "database_id", "database_id": s.databaseIDLocked(id)}
	case "data_source_id":
		if version < versionDataSources {
			return map[string]any{"type": "database_id", "database_id": s.databaseIDLocked(id)}
		}
		return map[string]any{"type": "data_source_id", "data_source_id": id, "database_id": s.databaseIDLocked(id)}
	}
	return map[string]any{"type": "workspace", "workspace": true}
}

func (s *Server) renderLocked(it *item, version string, now time.Time) map[string]any {
	owner := ""
	if ws, ok := s.workspaces[it.ws]; ok {
		owner = ws.ownerID
	}
	creator := owner
	if it.createdBy != "" {
		creator = it.createdBy
	}
	m := map[string]any{
		"id":               it.ID,
		"created_time":     notionTime(it.Created),
		"last_edited_time": notionTime(it.LastEdited),
		"created_by":       partialUser(creator),
		"last_edited_by":   partialUser(owner),
		"cover":            nil,
		"icon":             s.renderIconLocked(it, now),
		"in_trash":         it.InTrash,
		"url":              it.URL,
		"public_url":       nil,
	}
	if version < versionNoArchived {
		m["archived"] = it.InTrash
	}
	if it.Kind == KindPage {
		m["object"] = "page"
		m["is_locked"] = false
		m["parent"] = s.parentLocked(it.ParentType, it.ParentID, version)
		props := map[string]any{
			it.TitleProperty: map[string]any{"id": "title", "type": "title", "title": richText(it.TitleParts, it.Title)},
		}
		if ds := s.dataSourceOfLocked(it); ds != nil {
			for k, v := range s.rowPropertiesLocked(it, ds) {
				if k != it.TitleProperty {
					props[k] = v
				}
			}
		}
		m["properties"] = props
		return m
	}
	m["title"] = richText(it.TitleParts, it.Title)
	m["description"] = []any{}
	m["is_inline"] = false
	m["properties"] = schemaLocked(it)
	dbParent := s.parentLocked(it.ParentType, it.ParentID, version)
	if version < versionDataSources {
		// Before data sources, search returned the database itself.
		m["object"] = "database"
		m["id"] = it.DatabaseID
		m["parent"] = dbParent
		return m
	}
	m["object"] = "data_source"
	m["parent"] = map[string]any{"type": "database_id", "database_id": it.DatabaseID}
	m["database_parent"] = dbParent
	return m
}
