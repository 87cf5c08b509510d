package incidents

import (
	"context"
	"strconv"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

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
	return access.Commands(actor, in.OrgID) && in.Status != incident.Closed
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
			if in.Status == incident.Closed && access.Commands(actor, in.OrgID) {
				return errs.New(errs.Conflict, "error.incident_closed")
			}
			return errs.New(errs.Forbidden, "error.forbidden_correct")
		}
		old := *in
		data := map[string]string{} // the changes: <field>.from, <field>.to, …
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
			// Bounded as at registration (CreateIncidentTx).
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
		if err := tx.CorrectIncident(in); err != nil {
			return err
		}
		// The audit record (old and new values) is written last, after the
		// notices, as it always has been.
		if _, err := core.Record(tx, core.Act{IncidentID: id, ActorID: actor.ID,
			Event: event.Corrected{Fields: strings.Join(fields, ","), Reason: c.Reason, Changes: data}}); err != nil {
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
