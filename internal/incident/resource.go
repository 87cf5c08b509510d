package incident

import "time"

// Resource kinds: what an incident names from the base database.
const (
	ResourceUnit      = "unit"      // an affected unit (涉事单位)
	ResourceWebsite   = "website"   // an affected website or system
	ResourceExpert    = "expert"    // a member of the expert group (专家组)
	ResourceEquipment = "equipment" // equipment or a vehicle dispatched (调派装备)
)

// ResourceKinds lists the kinds in the order pages and reports show them.
var ResourceKinds = []string{ResourceUnit, ResourceWebsite, ResourceExpert, ResourceEquipment}

// Resource is a row of the base database attached to an incident. Name and
// Detail are what the register said when it was attached.
type Resource struct {
	ID         int64
	IncidentID int64
	Kind       string
	RefID      int64
	Name       string
	Detail     string
	Note       string
	PrevStatus string // equipment: the register's status before dispatch
	AddedBy    int64
	AddedAt    time.Time
	ReturnedBy int64
	ReturnedAt *time.Time
}

// Out reports whether an item of equipment is still with the incident.
func (r *Resource) Out() bool { return r.Kind == ResourceEquipment && r.ReturnedAt == nil }

// Timeline entries about resources.
const (
	EntryResourceAdded    EntryKind = "resource_added"
	EntryResourceRemoved  EntryKind = "resource_removed"
	EntryResourceReturned EntryKind = "resource_returned"
)
