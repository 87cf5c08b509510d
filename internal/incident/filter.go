package incident

// Filter selects incidents for a list page. OrgIDs limits the list to the
// organisations the reader may see; who may read which of them
// (need-to-know) is not part of the filter: the use case computes it for
// the reader and hands it to the store beside the filter. Results are
// newest first; Before is the keyset cursor (the last id of the previous
// page).
type Filter struct {
	OrgIDs   []int64
	Statuses []Status
	Level    Level
	Category string
	Text     string
	Before   int64
	Limit    int
}
