package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Corrections (更正) and instructions (批示), issue 11.

// Correction is what someone corrects on an incident: nil fields stay as
// they are. Reason is required.
type Correction struct {
	Title        *string
	Description  *string
	DiscoveredAt *time.Time
	Level        *int
	Category     *string
	Reason       string
}

// mayCorrect is who may correct an incident: the duty officers and the
// leading group of its own organisation (commandRoles), while it is not closed.
func mayCorrect(actor *user.User, in *incident.Incident) bool {
	return actor.OrgID == in.OrgID && actor.HasRole(access.CommandRoles...) && in.Status != incident.Closed
}

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

// CorrectIncident corrects an incident's title, description, discovery
// time, level (at any time: an escalation 升级 or de-escalation 降级, told to
// the leading group) or category (only before activation), in one
// transaction with a timeline entry and an audit record of old and new values.
func (s *Service) CorrectIncident(ctx context.Context, actor *user.User, id int64, c Correction) (*incident.Incident, error) {
	c.Reason = strings.TrimSpace(c.Reason)
	if err := core.CheckText("reason", c.Reason, true, 2000); err != nil {
		return nil, err
	}
	if c.Title != nil {
		t := strings.TrimSpace(*c.Title)
		if err := core.CheckText("title", t, true, 200); err != nil {
			return nil, err
		}
		c.Title = &t
	}
	if c.Description != nil {
		t := strings.TrimSpace(*c.Description)
		if err := core.CheckText("description", t, false, 20000); err != nil {
			return nil, err
		}
		c.Description = &t
	}
	if c.Level != nil && !incident.Level(*c.Level).Valid() {
		return nil, errs.Field("level", "error.level_range")
	}
	if c.Category != nil && strings.TrimSpace(*c.Category) == "" {
		return nil, errs.Field("category", "error.required")
	}
	var out *incident.Incident
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		in, _, err := s.IncidentFor(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if !mayCorrect(actor, in) {
			if in.Status == incident.Closed && actor.OrgID == in.OrgID && actor.HasRole(access.CommandRoles...) {
				return errs.New(errs.Conflict, "error.incident_closed")
			}
			return errs.New(errs.Forbidden, "error.forbidden_correct")
		}
		old := *in
		data := map[string]string{"reason": c.Reason}
		oldV, newV := map[string]any{}, map[string]any{}
		var fields []string
		if c.Title != nil && *c.Title != in.Title {
			data["title.from"], data["title.to"] = in.Title, *c.Title
			oldV["title"], newV["title"] = in.Title, *c.Title
			in.Title = *c.Title
			fields = append(fields, "title")
		}
		if c.Description != nil && *c.Description != in.Description {
			data["description.from"], data["description.to"] = in.Description, *c.Description
			oldV["description"], newV["description"] = in.Description, *c.Description
			in.Description = *c.Description
			fields = append(fields, "description")
		}
		if c.DiscoveredAt != nil {
			// Bounded as at registration (createIncident).
			if err := core.CheckWhen("discovered_at", *c.DiscoveredAt, tx.Now, "error.in_future"); err != nil {
				return err
			}
			t := c.DiscoveredAt.UTC().Truncate(time.Millisecond)
			if !t.Equal(in.DiscoveredAt) {
				data["discovered_at.from"], data["discovered_at.to"] = strconv.FormatInt(in.DiscoveredAt.UnixMilli(), 10), strconv.FormatInt(t.UnixMilli(), 10)
				oldV["discovered_at"], newV["discovered_at"] = in.DiscoveredAt.UnixMilli(), t.UnixMilli()
				in.DiscoveredAt = t
				fields = append(fields, "discovered_at")
			}
		}
		p, err := s.PlanByID(&tx.Q, in.PlanID)
		if err != nil {
			return err
		}
		if c.Category != nil && *c.Category != in.Category {
			if in.ActivatedAt != nil || in.Status != incident.Reported && in.Status != incident.ActivationRequested {
				// The plan's procedure for the category is running: its tasks
				// exist. A wrong category after activation is a new incident.
				return &errs.Error{Code: errs.Conflict, Field: "category", Key: "error.category_after_activation"}
			}
			if in.Status == incident.ActivationRequested {
				return &errs.Error{Code: errs.Conflict, Field: "category", Key: "error.category_pending_activation"}
			}
			// Before activation the incident runs under the plan in force for
			// its organisation, as at registration.
			org, err := tx.Org(in.OrgID)
			if err != nil {
				return err
			}
			cur, _, err := s.CurrentPlan(&tx.Q, org)
			if err != nil {
				return err
			}
			cat := cur.Category(*c.Category)
			if cat == nil {
				return errs.Field("category", "error.unknown_category", *c.Category)
			}
			oldCat := p.Category(in.Category)
			data["category.from"], data["category.to"] = in.Category, cat.Key
			if oldCat != nil {
				data["category.from_name"] = oldCat.Name
			}
			data["category.to_name"] = cat.Name
			oldV["category"], newV["category"] = in.Category, cat.Key
			oldV["gb_class"], newV["gb_class"] = in.GBClass, cat.GBClass
			in.Category, in.GBClass = cat.Key, cat.GBClass
			fields = append(fields, "category")
		}
		levelChanged := false
		if c.Level != nil && incident.Level(*c.Level) != in.Level {
			nl := incident.Level(*c.Level)
			dir := "down" // 降级: a larger number is a lesser grade
			if nl < in.Level {
				dir = "up"
			}
			data["level.from"], data["level.to"], data["level.direction"] = in.Level.Roman(), nl.Roman(), dir
			oldV["level"], newV["level"] = int(in.Level), int(nl)
			in.Level = nl
			fields = append(fields, "level")
			levelChanged = true
		}
		if len(fields) == 0 {
			return errs.New(errs.Invalid, "error.nothing_to_correct")
		}
		data["fields"] = strings.Join(fields, ",")
		if err := tx.CorrectIncident(in); err != nil {
			return err
		}
		if err := tx.AddEntry(&incident.Entry{IncidentID: id, ActorID: actor.ID, Kind: incident.EntryCorrected, Data: data}); err != nil {
			return err
		}
		if levelChanged {
			if err := notifyLevelChange(tx, actor, &old, in, data["level.direction"]); err != nil {
				return err
			}
		}
		out = in
		return tx.Audit(core.AuditEntry(actor, "incident.correct", "incident", id, in.OrgID, map[string]any{
			"reason": c.Reason, "old": oldV, "new": newV}))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// notifyLevelChange tells the incident's leading group (组长、副组长、成员)
// and its duty officers, by the in-app notice activation uses, that the
// level changed.
func notifyLevelChange(tx *store.Tx, actor *user.User, old, in *incident.Incident, dir string) error {
	users, err := tx.Users(in.OrgID)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Disabled || u.ID == actor.ID || !u.HasRole(user.RoleLeader, user.RoleDeputy, user.RoleMember, user.RoleDutyOfficer) {
			continue
		}
		if err := core.Notice(tx, u.ID, in.ID, "level_changed", map[string]any{"number": in.Number, "title": in.Title,
			"from": old.Level.Roman(), "to": in.Level.Roman(), "direction": dir}); err != nil {
			return err
		}
	}
	return nil
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
		if err := tx.AddEntry(&incident.Entry{IncidentID: id, ActorID: actor.ID, Kind: incident.EntryInstructed,
			Data: map[string]string{"text": ins.Text, "to": strings.Join(names, "、"), "instruction": strconv.FormatInt(ins.ID, 10)}}); err != nil {
			return err
		}
		if err := s.notifyAddressees(tx, in, ins); err != nil {
			return err
		}
		out = ins
		return tx.Audit(core.AuditEntry(actor, "instruction.post", "instruction", ins.ID, in.OrgID, map[string]any{
			"incident_id": id, "text": ins.Text, "departments": ins.Departments, "people": ins.People}))
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
		kind, action := incident.EntryInstructionAcked, "instruction.ack"
		data := map[string]string{"text": ins.Text, "instruction": strconv.FormatInt(ins.ID, 10)}
		detail := map[string]any{"incident_id": in.ID, "from": string(ins.Status)}
		if result == "" {
			err = tx.AckInstruction(ins, actor.ID)
		} else {
			kind, action = incident.EntryInstructionDone, "instruction.done"
			data["result"], detail["result"] = result, result
			err = tx.DoneInstruction(ins, actor.ID, result)
		}
		if err != nil {
			return err
		}
		detail["to"] = string(ins.Status)
		if err := tx.AddEntry(&incident.Entry{IncidentID: in.ID, ActorID: actor.ID, Kind: kind, Data: data}); err != nil {
			return err
		}
		out = ins
		return tx.Audit(core.AuditEntry(actor, action, "instruction", ins.ID, in.OrgID, detail))
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

// openInstructionsFor lists the open instructions addressed to actor, for
// the command post.
func (s *Service) openInstructionsFor(q *store.Q, actor *user.User) ([]*InstructionItem, error) {
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

// reportInstructions are an incident's 批示 as the report drafter states them.
func (s *Service) reportInstructions(q *store.Q, p *plan.Plan, incidentID int64) ([]report.Instruction, error) {
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
