package notiontest

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// dsInfo is a generated data source and the rows it has handed out.
type dsInfo struct {
	idx   int
	theme dsTheme
	order []int // rows in a shuffled order, so titles repeat only when they run out
	used  int
}

// A data source theme: its title, title column, icon and typical rows.
type dsTheme struct {
	title, prop, emoji string
	rows               []string
}

var dsThemes = []dsTheme{
	{"Tasks", "Task", "✅", []string{"Fix login redirect loop", "Write Q3 update", "Review onboarding copy",
		"Update pricing page", "Plan team offsite", "Migrate CI to new runners", "Draft launch email",
		"Clean up analytics events", "Prepare board deck", "Renew TLS certificates", "Triage support inbox"}},
	{"Projects", "Name", "🚀", []string{"Website redesign", "Mobile app v2", "Search revamp", "Self-serve billing",
		"Partner portal", "Data warehouse migration", "Accessibility audit", "Design system 2.0"}},
	{"Meeting notes", "Title", "🗓️", []string{"Weekly sync", "Design review", "Sprint planning", "1:1 with Priya",
		"Customer call: Northwind", "Retro — Sprint 14", "All-hands", "Roadmap review"}},
	{"Reading list", "Title", "📚", []string{"Thinking, Fast and Slow", "The Design of Everyday Things", "Shape Up",
		"Working in Public", "An Elegant Puzzle", "Crossing the Chasm", "Le Petit Prince"}},
	{"Recipes", "Name", "🍳", []string{"Café menu: crème brûlée", "Shakshuka", "Pad thai", "Sourdough starter",
		"Tarte Tatin", "Crêpes Suzette", "Chili con carne", "Smørrebrød", "Pão de queijo"}},
	{"Bug tracker", "Name", "🐛", []string{"Crash on launch when offline", "Search results flicker",
		"Emoji icons render as boxes", "Sync stalls at 99%", "Dark mode contrast on buttons", "Login fails with SSO"}},
	{"Travel plans", "Name", "✈️", []string{"Kyōto in April", "Weekend in Lisbon", "São Paulo conference",
		"Zürich offsite", "Road trip: Route 66", "Reykjavík stopover", "Montréal in winter", "Hiking the Dolomites"}},
	{"Content calendar", "Title", "📰", []string{"Blog: Why we rewrote sync", "Newsletter — March",
		"Case study: Acme", "Launch post: Pagedeck 1.0", "Webinar: Getting started", "Podcast: Tools we love",
		"Changelog — April", "Guide: Keyboard shortcuts"}},
	{"Hiring pipeline", "Name", "🧑‍💻", []string{"Senior Go engineer", "Product designer", "Support lead", "Data analyst",
		"Engineering manager", "Developer advocate", "Site reliability engineer", "Technical writer"}},
}

var topTitles = []string{
	"Q3 roadmap", "Product roadmap 2026", "Engineering onboarding", "Team handbook", "API v2 spec",
	"Design principles", "Incident postmortem: login outage", "OKRs — H1", "Competitive analysis",
	"Brand guidelines", "Release notes 4.2", "Architecture overview", "Security checklist", "Home",
	"Personal goals", "Garden plan", "Apartment search — Zürich", "Café menu: crème brûlée",
	"Wedding planning", "Budget 2026", "Ideas", "Journal", "Naïve Bayes notes", "Résumé",
	"Pitch deck outline", "Interview questions", "Office Wi-Fi & printers", "How we work",
	"Meeting notes", "Trip to Kyōto", "Product requirements: search", "Hiring plan 2026",
	"Customer interviews", "Launch checklist", "Pricing experiments", "Support playbook",
}

var subTitles = []string{
	"Notes", "Appendix", "Research", "Open questions", "Draft", "Archive", "FAQ", "Timeline", "Budget",
	"Decisions log", "Meeting notes", "Resources", "Next steps", "Feedback", "Glossary", "Risks",
}

var suffixes = []string{" (draft)", " v2", " — archive", " – notes", " (copy)", " [WIP]"}

var emojis = []string{"📄", "📝", "🚀", "🗺️", "📅", "✅", "🐛", "📚", "🍰", "✈️", "🏠", "💡", "🎯",
	"📊", "🧪", "🎨", "🧭", "☕", "🌱", "🔒", "🇫🇷", "👩🏽‍💻"}

var externalIcons = []string{
	"https://images.unsplash.com/photo-1501785888041-af3ef285b470?w=128&q=80",
	"https://images.unsplash.com/photo-1498050108023-c5249f4df085?w=128&q=80",
	"https://www.notion.so/images/page-cover/met_william_morris_1877_willow.jpg",
	"https://cdn.jsdelivr.net/gh/twitter/twemoji@14.0.2/assets/72x72/1f4a1.png",
	"https://avatars.githubusercontent.com/u/4792552?s=64",
}

var builtinIcons = []string{"document", "checkmark", "calendar", "bookmark", "lightbulb", "folder", "star"}
var builtinColors = []string{"gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red"}
var customEmojis = []string{"partyparrot", "shipit", "pagedeck", "lgtm", "this-is-fine"}

func genUUID(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return formatUUID(b)
}

// GenerateItems makes n realistic items: pages with plausible work and
// personal titles (some accented, some multi-part, a few untitled), data
// sources with rows under them, nested pages, a spread of icon types, edit
// times over the last year (more of them recent), a few trashed and a few
// unshared items. Parents come before their children and refer to ids in
// the set, except block_id parents, which name a block (not an item).
//
// The hierarchy is Notion's: pages under pages and at the top, databases
// (some holding two data sources) at the top or inside pages, rows in data
// sources, pages inside blocks, and top-level pages the connection was not
// given while pages below them were, so some paths start part-way down.
// The same seed and now give the same items.
func GenerateItems(seed int64, n int, now time.Time) []ItemSpec {
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	// Choices added later draw from their own stream, so the items a seed
	// gave before stay the same.
	r2 := rand.New(rand.NewPCG(uint64(seed), 0x2545f4914f6cdd1d))
	now = now.UTC().Truncate(time.Minute)
	out := make([]ItemSpec, 0, max(n, 0))
	var sources []*dsInfo
	var pages []int
	usedDS := map[string]int{}
	pick := func(list []string) string { return list[r.IntN(len(list))] }

	for i := range n {
		spec := ItemSpec{ID: genUUID(r)}
		// Recent edits are likelier, as in a real workspace.
		f := r.Float64()
		spec.LastEdited = now.Add(-time.Duration(f*f*365*24*60) * time.Minute)
		spec.Created = spec.LastEdited.Add(-time.Duration(r.IntN(200*24*60)) * time.Minute)

		roll := r.IntN(100)
		switch {
		case (i == 1 && n >= 3) || (i > 1 && roll < 8):
			th := dsThemes[r.IntN(len(dsThemes))]
			spec.Kind = KindDataSource
			spec.Title = th.title
			if usedDS[th.title]++; usedDS[th.title] > 1 {
				spec.Title += pick([]string{" (old)", " 2025", " — team", " archive"})
			}
			spec.TitleProperty = th.prop
			spec.DatabaseID = genUUID(r)
			spec.Icon = IconSpec{Type: "emoji", Emoji: th.emoji}
			spec.ParentType = "workspace"
			if len(pages) > 0 && r.IntN(100) < 40 {
				spec.ParentType, spec.ParentID = "page_id", out[pages[r.IntN(len(pages))]].ID
			}
			sources = append(sources, &dsInfo{idx: len(out), theme: th, order: r.Perm(len(th.rows))})
		case roll < 45 && len(sources) > 0:
			ds := sources[r.IntN(len(sources))]
			spec.ParentType, spec.ParentID = "data_source_id", out[ds.idx].ID
			if r.IntN(100) < 15 {
				spec.ParentType = "database_id"
			}
			spec.TitleProperty = ds.theme.prop
			spec.Title = ds.theme.rows[ds.order[ds.used%len(ds.order)]]
			if round := ds.used / len(ds.order); round > 0 {
				spec.Title += " (" + strconv.Itoa(round+1) + ")"
			}
			ds.used++
			if ds.theme.title == "Meeting notes" {
				spec.Title += " " + spec.LastEdited.Format("2006-01-02")
			}
		case roll >= 45 && roll < 68 && len(pages) > 0:
			spec.ParentType, spec.ParentID = "page_id", out[pages[r.IntN(len(pages))]].ID
			spec.Title = pick(subTitles)
		case roll >= 68 && roll < 71:
			// A page inside a toggle or column block of another page.
			spec.ParentType, spec.ParentID = "block_id", genUUID(r)
			spec.Title = pick(subTitles)
		default:
			spec.ParentType = "workspace"
			spec.Title = pick(topTitles)
		}
		if spec.Kind == "" {
			spec.Kind = KindPage
			if spec.TitleProperty == "" {
				spec.TitleProperty = "title"
			}
			if r.IntN(100) < 20 {
				spec.Title += pick(suffixes)
			}
			if r.IntN(100) < 2 {
				spec.Title = "" // shows as "Untitled"
			}
			spec.Icon = genIcon(r)
			if spec.ParentType == "data_source_id" && r.IntN(2) == 0 {
				spec.Icon = IconSpec{} // database rows often have none
			}
			pages = append(pages, len(out))
		}
		if spec.Title != "" && r.IntN(100) < 12 {
			spec.TitleParts = splitTitle(r, spec.Title)
		}
		spec.InTrash = r.IntN(100) < 4
		spec.Unshared = r.IntN(100) < 3
		spec.URL = genURL(r, spec)
		hierarchy(r2, &spec, out, sources)
		out = append(out, spec)
	}
	return out
}

// hierarchy adds what the first generator lacked, from its own stream: a
// data source that joins an earlier database (a database with two data
// sources shares one place), and top-level pages not shared with the
// connection above pages that are.
func hierarchy(r *rand.Rand, spec *ItemSpec, earlier []ItemSpec, sources []*dsInfo) {
	joins, unshareTop := r.IntN(100), r.IntN(100)
	if spec.Kind == KindDataSource && len(sources) > 1 && joins < 15 {
		other := earlier[sources[r.IntN(len(sources)-1)].idx] // not itself: it is the last source
		spec.URL = strings.Replace(spec.URL, compactID(spec.DatabaseID), compactID(other.DatabaseID), 1)
		spec.DatabaseID, spec.ParentType, spec.ParentID = other.DatabaseID, other.ParentType, other.ParentID
	}
	if spec.Kind == KindPage && spec.ParentType == "workspace" && unshareTop < 5 {
		spec.Unshared = true
	}
}

func genIcon(r *rand.Rand) IconSpec {
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	switch roll := r.IntN(100); {
	case roll < 40:
		return IconSpec{Type: "emoji", Emoji: pick(emojis)}
	case roll < 52:
		return IconSpec{Type: "external", URL: pick(externalIcons)}
	case roll < 62:
		return IconSpec{Type: "file"} // served, signed and expiring, by the emulator
	case roll < 67:
		return IconSpec{Type: "custom_emoji", Name: pick(customEmojis)}
	case roll < 77:
		return IconSpec{Type: "icon", Name: pick(builtinIcons), Color: pick(builtinColors)}
	}
	return IconSpec{}
}

// splitTitle cuts a title at word boundaries into 2 or 3 rich-text parts, as
// Notion does when part of a title is formatted or a mention.
func splitTitle(r *rand.Rand, title string) []string {
	words := strings.SplitAfter(title, " ")
	if len(words) < 2 {
		return nil
	}
	cuts := 1 + r.IntN(min(2, len(words)-1))
	var parts []string
	rest := words
	for c := 0; c < cuts && len(rest) > 1; c++ {
		k := 1 + r.IntN(len(rest)-1)
		parts = append(parts, strings.Join(rest[:k], ""))
		rest = rest[k:]
	}
	return append(parts, strings.Join(rest, ""))
}

// genURL mixes the 2026 app.notion.com URLs with older www.notion.so ones.
func genURL(r *rand.Rand, spec ItemSpec) string {
	u := defaultURL(spec)
	if r.IntN(100) < 20 {
		u = strings.Replace(u, "https://app.notion.com/p/", "https://www.notion.so/acme/", 1)
	}
	return u
}

// Seed adds n generated items to a workspace and returns their ids. The
// generator's ids are mapped to ids unique to the workspace, so seeding two
// workspaces with the same seed does not collide; seeding the same
// workspace twice with the same seed replaces the items with equal ones.
func (s *Server) Seed(workspaceID string, seed int64, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustWorkspace(workspaceID)
	specs := GenerateItems(seed, n, s.now())
	remap := func(id string) string {
		if id == "" {
			return ""
		}
		return derivedUUID("seed", workspaceID, id)
	}
	ids := make([]string, 0, len(specs))
	for _, spec := range specs {
		oldID, oldDB := spec.ID, spec.DatabaseID
		spec.ID, spec.DatabaseID, spec.ParentID = remap(spec.ID), remap(spec.DatabaseID), remap(spec.ParentID)
		spec.URL = strings.Replace(spec.URL, compactID(oldID), compactID(spec.ID), 1)
		if oldDB != "" {
			spec.URL = strings.Replace(spec.URL, compactID(oldDB), compactID(spec.DatabaseID), 1)
		}
		ids = append(ids, s.addItemLocked(workspaceID, spec))
	}
	return ids
}
