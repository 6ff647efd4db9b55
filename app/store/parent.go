package store

// ParentType says what an item's ParentID names, as Notion's parent.type.
type ParentType string

const (
	// ParentNone: not recorded. Items cached before parent types were kept
	// have it; their ParentID is "" at the top or names a page, a data
	// source or a database.
	ParentNone       ParentType = ""
	ParentWorkspace  ParentType = "workspace"
	ParentPage       ParentType = "page_id"
	ParentDataSource ParentType = "data_source_id"
	ParentDatabase   ParentType = "database_id"
	ParentBlock      ParentType = "block_id"
	// ParentUnknown: a type Pagedeck does not know (agent_id, …): the
	// item's place is unknown.
	ParentUnknown ParentType = "unknown"
)

// parentCodes are the record's one-byte codes; the order is the format.
var parentCodes = [...]ParentType{ParentNone, ParentWorkspace, ParentPage, ParentDataSource, ParentDatabase, ParentBlock, ParentUnknown}

func parentCode(t ParentType) byte {
	for i, p := range parentCodes {
		if p == t {
			return byte(i)
		}
	}
	return byte(len(parentCodes) - 1) // anything else is unknown
}

func parentOfCode(c byte) ParentType {
	if int(c) < len(parentCodes) {
		return parentCodes[c]
	}
	return ParentUnknown
}
