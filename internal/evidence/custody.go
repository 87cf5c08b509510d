package evidence

import (
	"time"

	"yingji/internal/errs"
)

// Action is one entry of an item's chain of custody.
type Action string

// The custody actions. Reading acts (view, download, export) are logged as
// much as changes: the log answers "who has had this in hand".
const (
	Register Action = "register" // 提取: entered on the register
	AddFile  Action = "add_file" // a file attached
	View     Action = "view"
	Download Action = "download"
	Export   Action = "export"   // put into an evidence package
	Transfer Action = "transfer" // handed to a new custodian
	Seal     Action = "seal"     // 封存
	Unseal   Action = "unseal"   // 启封
	Withdraw Action = "withdraw" // 撤回, with the reason
	Verify   Action = "verify"   // stored bytes re-hashed against the register
)

// Actions lists every action.
var Actions = []Action{Register, AddFile, View, Download, Export, Transfer, Seal, Unseal, Withdraw, Verify}

// Custody is one row of an item's custody log.
type Custody struct {
	ID       int64
	ItemID   int64
	FileID   int64 // the file concerned, or 0
	Action   Action
	ActorID  int64 // 0 for the system
	Actor    string
	At       time.Time
	Reason   string
	ToUserID int64  // transfer: the new custodian
	Detail   string // what else the action says (a verify's outcome)
}

// Change is an action someone asks for on an item.
type Change struct {
	Action     Action
	Reason     string
	ToUserID   int64  // transfer
	SealNumber string // seal: the seal's number (the item's own when empty)
}

// Allow says whether the change may happen to the item, and returns the
// item as it is after it. Reading acts never change the item and are
// allowed in every status (a withdrawn item is still read and exported,
// marked withdrawn).
func Allow(it Item, c Change) (Item, error) {
	switch c.Action {
	case View, Download, Export, Verify:
		return it, nil
	case Register:
		return it, errs.New(errs.Invalid, "evidence.bad_action", string(c.Action))
	}
	if it.Status == Withdrawn {
		return it, errs.New(errs.Conflict, "evidence.withdrawn")
	}
	switch c.Action {
	case AddFile:
		if it.Status == Sealed {
			return it, errs.New(errs.Conflict, "evidence.sealed")
		}
		if it.Kind == WebPage {
			// A capture's parts are what the capture wrote, all at once.
			return it, errs.New(errs.Conflict, "evidence.capture_fixed")
		}
	case Transfer:
		if c.ToUserID == 0 {
			return it, errs.Field("to_user_id", "error.required")
		}
		if c.ToUserID == it.CustodianID {
			return it, errs.Field("to_user_id", "evidence.same_custodian")
		}
		it.CustodianID = c.ToUserID
	case Seal:
		if it.Status == Sealed {
			return it, errs.New(errs.Conflict, "evidence.already_sealed")
		}
		if c.SealNumber != "" {
			it.SealNumber = c.SealNumber
		}
		if it.SealNumber == "" {
			return it, errs.Field("seal_number", "evidence.seal_required")
		}
		it.Status = Sealed
	case Unseal:
		if it.Status != Sealed {
			return it, errs.New(errs.Conflict, "evidence.not_sealed")
		}
		if c.Reason == "" {
			return it, errs.Field("reason", "error.required")
		}
		it.Status = Held
	case Withdraw:
		if c.Reason == "" {
			return it, errs.Field("reason", "error.required")
		}
		it.Status, it.Reason = Withdrawn, c.Reason
	default:
		return it, errs.New(errs.Invalid, "evidence.bad_action", string(c.Action))
	}
	return it, nil
}
