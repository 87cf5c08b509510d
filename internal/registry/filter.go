package registry

// Filter selects rows of a registry list.
type Filter struct {
	OrgIDs  []int64
	Q       string // substring of the search text (units: also their websites' domains)
	Kind    string
	KeySite bool  // websites: key sites only
	UnitID  int64 // websites, contacts: of one unit
	// Prefix makes the units search the first release's prefix search over
	// indexed keys (match=prefix); the default is a substring search.
	Prefix bool
	After  int64 // keyset: ids above
	Limit  int
}
