package incidents

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Instructions (批示), issue 11.

// mayInstruct is who may post a 批示 on an incident run under plan p: the
// 组长 and 副组长 of its own organisation, and of an organisation above it
// the leaders and whoever holds the plan's approval roles (the city's
// 分管领导).
func mayInstruct(actor *user.User, tree *org.Tree, p *plan.Plan, in *incident.Incident) bool {
	if in.Status == incident.Closed {
		return false
	}
	leaders := []string{user.RoleLeader, user.RoleDeputy}
	for _, r := range []string{p.LeadingGroup.Leader, p.LeadingGroup.Deputy} {
		if r != "" {
			leaders = append(leaders, r)
		}
	}
	if actor.OrgID == in.OrgID {
		return actor.HasRole(leaders...)
	}
	if !tree.IsAncestor(actor.OrgID, in.OrgID) {
		return false
	}
	return actor.HasRole(leaders...) || actor.HasRole(p.Approvals.Activation.Roles...) || actor.HasRole(p.Approvals.Termination.Roles...)
}

// addressed reports whether actor is an addressee of instruction ins on
// incident in: named, or a user of an addressed department of its organisation.
func addressed(actor *user.User, in *incident.Incident, ins *incident.Instruction) bool {
	if slices.Contains(ins.People, actor.ID) {
		return true
	}
	return actor.OrgID == in.OrgID && actor.Department != "" && slices.Contains(ins.Departments, actor.Department)
}

// NewInstruction is a 批示 as a leader posts it.
type NewInstruction struct {
	Text        string
	Departments []string // department keys of the incident's organisation
	People      []int64  // user ids
}

// InstructionItem is an instruction as pages and the API show it.
type InstructionItem struct {
	*incident.Instruction
	Incident    *incident.Incident
	AuthorName  string
	AckedByName string
	DoneByName  string
	To          []string // addressees' names: departments, then people
	CanAck      bool
	CanDone     bool
}

// PostInstruction posts a 批示 on an incident.
func (s *Service) PostInstruction(ctx context.Context, actor *user.User, id int64, ni NewInstruction) (*incident.Instruction, error) {
	ni.Text = strings.TrimSpace(ni.Text)
	if err := core.CheckText("text", ni.Text, true, 5000); err != nil {
		return nil, err
	}
	if len(ni.Departments)+len(ni.People) == 0 {
		return nil, errs.Field("departments", "error.instruction_no_addressee")
	}
	if len(ni.Departments)+len(ni.People) > 50 {
		return nil, errs.Field("people", "error.too_many_addressees", 50)
	}
	var out *incident.Instruction
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, tree, err := s.IncidentFor(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		p, err := s.PlanByID(&tx.Q, in.PlanID)
		if err != nil {
			return err
		}
		if !mayInstruct(actor, tree, p, in) {
			if in.Status == incident.Closed {
				return errs.New(errs.Conflict, "error.incident_closed")
			}
			return errs.New(errs.Forbidden, "error.forbidden_instruct")
		}
		ins := &incident.Instruction{IncidentID: id, AuthorID: actor.ID, Text: ni.Text}
		var names []string
		for _, d := range ni.Departments {
			dep := p.Department(d)
			if dep == nil {
				return errs.Field("departments", "error.unknown_department", d)
			}
			if !slices.Contains(ins.Departments, d) {
				ins.Departments = append(ins.Departments, d)
				names = append(names, dep.Name)
			}
		}
		for _, uid := range ni.People {
			u, err := tx.User(uid)
			if errs.CodeOf(err) == errs.NotFound || err == nil && (u.Disabled || !tree.CanSee(u, in.OrgID) || !access.CommandRole(u)) {
				return errs.Field("people", "error.unknown_addressee", uid)
			}
			if err != nil {
				return err
			}
			if !slices.Contains(ins.People, uid) {
				ins.People = append(ins.People, uid)
				names = append(names, u.DisplayName)
			}
		}
		if err := tx.CreateInstruction(ins); err != nil {
			return err
		}
		if _, err := core.Record(tx, core.Act{IncidentID: id, ActorID: actor.ID,
			Event: event.Instructed{Body: ins.Text, To: names, InstructionID: strconv.FormatInt(ins.ID, 10)},
			Audit: core.Audited(actor, "instruction.post", "instruction", ins.ID, in.OrgID, map[string]any{
				"incident_id": id, "text": ins.Text, "departments": ins.Departments, "people": ins.People})}); err != nil {
			return err
		}
		out = ins
		return s.notifyAddressees(tx, in, ins)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// notifyAddressees leaves an in-app notice for every addressee of a new
// instruction.
func (s *Service) notifyAddressees(tx *store.Tx, in *incident.Incident, ins *incident.Instruction) error {
	to := map[int64]bool{}
	for _, id := range ins.People {
		to[id] = true
	}
	if len(ins.Departments) > 0 {
		users, err := tx.Users(in.OrgID)
		if err != nil {
			return err
		}
		for _, u := range users {
			if !u.Disabled && u.Department != "" && slices.Contains(ins.Departments, u.Department) {
				to[u.ID] = true
			}
		}
	}
	ids := make([]int64, 0, len(to))
	for id := range to {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := core.Notice(tx, id, in.ID, "instruction_posted", map[string]any{"number": in.Number, "title": in.Title, "instruction_id": ins.ID}); err != nil {
			return err
		}
	}
	return nil
}

// AckInstruction records that an addressee has read (已阅) an instruction.
func (s *Service) AckInstruction(ctx context.Context, actor *user.User, instructionID int64) (*incident.Instruction, error) {
	return s.handleInstruction(ctx, actor, instructionID, "")
}

// DoneInstruction records what was done (落实情况) on an acknowledged
// instruction; the instruction is then done.
func (s *Service) DoneInstruction(ctx context.Context, actor *user.User, instructionID int64, result string) (*incident.Instruction, error) {
	result = strings.TrimSpace(result)
	if err := core.CheckText("result", result, true, 5000); err != nil {
		return nil, err
	}
	return s.handleInstruction(ctx, actor, instructionID, result)
}

func (s *Service) handleInstruction(ctx context.Context, actor *user.User, instructionID int64, result string) (*incident.Instruction, error) {
	var out *incident.Instruction
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		ins, err := tx.Instruction(instructionID)
		if err != nil {
			return err
		}
		in, _, err := s.IncidentFor(&tx.Q, actor, ins.IncidentID)
		if errs.CodeOf(err) == errs.NotFound {
			return errs.New(errs.NotFound, "error.instruction_not_found")
		}
		if err != nil {
			return err
		}
		if !addressed(actor, in, ins) {
			return errs.New(errs.Forbidden, "error.forbidden_instruction")
		}
		insID := strconv.FormatInt(ins.ID, 10)
		var ev event.Event = event.InstructionAcked{Body: ins.Text, InstructionID: insID}
		action := "instruction.ack"
		detail := map[string]any{"incident_id": in.ID, "from": string(ins.Status)}
		if result == "" {
			err = tx.AckInstruction(ins, actor.ID)
		} else {
			ev, action = event.InstructionDone{Body: ins.Text, InstructionID: insID, Result: result}, "instruction.done"
			detail["result"] = result
			err = tx.DoneInstruction(ins, actor.ID, result)
		}
		if err != nil {
			return err
		}
		detail["to"] = string(ins.Status)
		out = ins
		if _, err = core.Record(tx, core.Act{IncidentID: in.ID, ActorID: actor.ID, Event: ev,
			Audit: core.Audited(actor, action, "instruction", ins.ID, in.OrgID, detail)}); err != nil || result == "" {
			return err
		}
		// The leader who gave the 批示 follows its 落实: he is told, not left
		// to open the incident again and again.
		return core.Notice(tx, ins.AuthorID, in.ID, "instruction_done", map[string]any{
			"number": in.Number, "title": in.Title, "instruction_id": ins.ID, "by": actor.DisplayName})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Instructions lists an incident's instructions for actor, oldest first.
func (s *Service) Instructions(ctx context.Context, actor *user.User, id int64) ([]*InstructionItem, error) {
	var out []*InstructionItem
	err := s.DB.Read(ctx, func(q *store.Q) error {
		in, _, err := s.IncidentFor(q, actor, id)
		if err != nil {
			return err
		}
		list, err := q.Instructions(id)
		if err != nil {
			return err
		}
		out, err = s.instructionItems(q, actor, map[int64]*incident.Incident{in.ID: in}, list)
		return err
	})
	return out, err
}

// instructionItems names authors and addressees for display.
func (s *Service) instructionItems(q *store.Q, actor *user.User, incidents map[int64]*incident.Incident, list []*incident.Instruction) ([]*InstructionItem, error) {
	names := map[int64]string{}
	name := func(id int64) (string, error) {
		if id == 0 {
			return "", nil
		}
		if n, ok := names[id]; ok {
			return n, nil
		}
		u, err := q.User(id)
		if err != nil {
			return "", err
		}
		names[id] = u.DisplayName
		return u.DisplayName, nil
	}
	out := make([]*InstructionItem, 0, len(list))
	for _, ins := range list {
		in := incidents[ins.IncidentID]
		it := &InstructionItem{Instruction: ins, Incident: in}
		var err error
		if it.AuthorName, err = name(ins.AuthorID); err != nil {
			return nil, err
		}
		if it.AckedByName, err = name(ins.AckedBy); err != nil {
			return nil, err
		}
		if it.DoneByName, err = name(ins.DoneBy); err != nil {
			return nil, err
		}
		p, err := s.PlanByID(q, in.PlanID)
		if err != nil {
			return nil, err
		}
		for _, d := range ins.Departments {
			it.To = append(it.To, deptDisplay(p, d))
		}
		for _, id := range ins.People {
			n, err := name(id)
			if err != nil {
				return nil, err
			}
			it.To = append(it.To, n)
		}
		mine := addressed(actor, in, ins)
		it.CanAck = mine && ins.Status == incident.InstructionOpen
		it.CanDone = mine && ins.Status == incident.InstructionAcked
		out = append(out, it)
	}
	return out, nil
}

func deptDisplay(p *plan.Plan, key string) string {
	if d := p.Department(key); d != nil {
		return d.Name
	}
	return key
}

// OpenInstructionsFor lists the open instructions addressed to actor, for
// the command post.
func (s *Service) OpenInstructionsFor(q *store.Q, actor *user.User) ([]*InstructionItem, error) {
	list, err := q.OpenInstructionsFor(actor.ID, actor.OrgID, actor.Department)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	incidents := map[int64]*incident.Incident{}
	for _, ins := range list {
		if incidents[ins.IncidentID] == nil {
			in, err := q.Incident(ins.IncidentID)
			if err != nil {
				return nil, err
			}
			incidents[in.ID] = in
		}
	}
	return s.instructionItems(q, actor, incidents, list)
}

// ReportInstructions are an incident's 批示 as the report drafter states them.
func (s *Service) ReportInstructions(q *store.Q, p *plan.Plan, incidentID int64) ([]report.Instruction, error) {
	list, err := q.Instructions(incidentID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	var out []report.Instruction
	for _, ins := range list {
		u, err := q.User(ins.AuthorID)
		if err != nil {
			return nil, err
		}
		x := report.Instruction{At: ins.CreatedAt, Author: u.DisplayName, Text: ins.Text, Result: ins.Result}
		for _, d := range ins.Departments {
			x.To = append(x.To, deptDisplay(p, d))
		}
		for _, id := range ins.People {
			a, err := q.User(id)
			if err != nil {
				return nil, err
			}
			x.To = append(x.To, a.DisplayName)
		}
		out = append(out, x)
	}
	return out, nil
}
