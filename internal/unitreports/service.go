// Package unitreports is the use case of the units' reporting channel
// (网络报警处置中心, seed 五(三)): the office issues a registered unit a link
// (no account), the unit reports an incident on its own systems through
// the form behind it, and the report arrives as a signal (signal.FormatUnit)
// for the duty officer and a stored report with a receipt number, in one
// transaction. A link is good for one report, until it expires or the
// office revokes it.
package unitreports

import (
	"context"
	"fmt"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/plan"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/unitreport"
	"yingji/internal/user"
)

// Service is the channel's use cases.
type Service struct {
	*core.Core
	zone *time.Location // receipt numbers count days of the office's zone
}

// New builds the service.
func New(c *core.Core) *Service {
	z, err := time.LoadLocation(plan.DefaultTimeZone)
	if err != nil {
		z = time.FixedZone("CST", 8*3600)
	}
	return &Service{Core: c, zone: z}
}

// Issuers issue and revoke links and read the reports: the registry's
// editors (duty officers, 组长, 副组长, the system administrator) of the
// unit's organisation; whoever may see the organisation reads.
var Issuers = access.RegistryEditors

// MayIssue reports whether the console shows the actor the issuing forms.
func MayIssue(actor *user.User) bool { return actor.HasRole(Issuers...) }

func mayIssue(actor *user.User, orgID int64) error {
	if err := core.RequireActor(actor); err != nil || actor.IsSystem() {
		return err
	}
	if !actor.HasRole(Issuers...) {
		return errs.New(errs.Forbidden, "unitrep.forbidden")
	}
	if actor.OrgID != orgID {
		return errs.New(errs.Forbidden, "registry.forbidden_other_org")
	}
	return nil
}

// IssueLink makes a unit's link, valid for valid (0: the default). The
// token is returned once; only its hash is kept.
func (s *Service) IssueLink(ctx context.Context, actor *user.User, unitID int64, valid time.Duration) (*unitreport.Link, string, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, "", err
	}
	if valid == 0 {
		valid = unitreport.DefaultValid
	}
	if valid < time.Hour || valid > unitreport.MaxValid {
		return nil, "", errs.Field("valid_days", "unitrep.bad_valid", int(unitreport.MaxValid.Hours()/24))
	}
	tok := unitreport.NewToken()
	var l *unitreport.Link
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.Unit(unitID)
		if errs.CodeOf(err) == errs.NotFound {
			return errs.Field("unit_id", "registry.unit_not_found")
		}
		if err != nil {
			return err
		}
		if ok, err := core.CanSeeOrg(&tx.Q, actor, u.OrgID); err != nil || !ok {
			return core.OrErr(err, errs.Field("unit_id", "registry.unit_not_found"))
		}
		if err := mayIssue(actor, u.OrgID); err != nil {
			return err
		}
		l = &unitreport.Link{OrgID: u.OrgID, UnitID: u.ID, UnitName: u.Name, CreatedBy: actor.ID, ExpiresAt: tx.Now.Add(valid)}
		if err := tx.CreateUnitLink(l, unitreport.TokenHash(tok)); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "unit_link.issue", "unit_link", l.ID, l.OrgID, map[string]any{"unit_id": u.ID, "expires_at": l.ExpiresAt}))
	})
	if err != nil {
		return nil, "", err
	}
	return l, tok, nil
}

// RevokeLink ends a link; a used or revoked one stays as it is.
func (s *Service) RevokeLink(ctx context.Context, actor *user.User, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		l, err := s.visibleLink(&tx.Q, actor, id)
		if err != nil {
			return err
		}
		if err := mayIssue(actor, l.OrgID); err != nil {
			return err
		}
		if st := l.State(tx.Now); st == unitreport.LinkUsed || st == unitreport.LinkRevoked {
			return errs.New(errs.Conflict, "unitrep.link_"+string(st))
		}
		if err := tx.RevokeUnitLink(id, actor.ID); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "unit_link.revoke", "unit_link", id, l.OrgID, map[string]any{"unit_id": l.UnitID}))
	})
}

func (s *Service) visibleLink(q *store.Q, actor *user.User, id int64) (*unitreport.Link, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	l, err := q.UnitLink(id)
	if err != nil {
		return nil, err
	}
	if ok, err := core.CanSeeOrg(q, actor, l.OrgID); err != nil || !ok {
		return nil, core.OrErr(err, errs.New(errs.NotFound, "unitrep.link_not_found"))
	}
	return l, nil
}

// Links lists the links the actor may see (of one unit when unitID is not 0).
func (s *Service) Links(ctx context.Context, actor *user.User, unitID int64) ([]*unitreport.Link, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out []*unitreport.Link
	err := s.DB.Read(ctx, func(q *store.Q) error {
		ids, err := core.VisibleOrgs(q, actor, 0)
		if err != nil {
			return err
		}
		out, err = q.UnitLinks(ids, unitID, 200)
		return err
	})
	return out, err
}

// Reports lists the reports the actor may see, newest first.
func (s *Service) Reports(ctx context.Context, actor *user.User) ([]*unitreport.Report, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out []*unitreport.Report
	err := s.DB.Read(ctx, func(q *store.Q) error {
		ids, err := core.VisibleOrgs(q, actor, 0)
		if err != nil {
			return err
		}
		out, err = q.UnitReports(ids, 200)
		return err
	})
	return out, err
}

// Report returns one report.
func (s *Service) Report(ctx context.Context, actor *user.User, id int64) (*unitreport.Report, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var r *unitreport.Report
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if r, err = q.UnitReport(id); err != nil {
			return err
		}
		if ok, err := core.CanSeeOrg(q, actor, r.OrgID); err != nil || !ok {
			return core.OrErr(err, errs.New(errs.NotFound, "unitrep.not_found"))
		}
		return nil
	})
	return r, err
}

// Opened is a link as its holder sees it: the unit, and whether the form
// still takes a report (if not, why, and the receipt of the report made).
type Opened struct {
	UnitName  string
	State     unitreport.LinkState
	ExpiresAt time.Time
	UsedAt    *time.Time
	Receipt   string
}

func byToken(q *store.Q, tok string) (*unitreport.Link, error) {
	if !unitreport.WellFormed(tok) {
		return nil, errs.New(errs.NotFound, "unitrep.bad_link")
	}
	return q.UnitLinkByHash(unitreport.TokenHash(tok))
}

// Open reads the link a token names; an unknown token is NotFound, a used,
// expired or revoked one comes back with its state.
func (s *Service) Open(ctx context.Context, tok string) (*Opened, error) {
	var o *Opened
	err := s.DB.Read(ctx, func(q *store.Q) error {
		l, err := byToken(q, tok)
		if err != nil {
			return err
		}
		o = &Opened{UnitName: l.UnitName, State: l.State(q.Now), ExpiresAt: l.ExpiresAt, UsedAt: l.UsedAt, Receipt: l.Receipt}
		return nil
	})
	return o, err
}

// Submit takes a unit's report through its link: the report row with its
// receipt number, the link used up, a signal for the duty officer and the
// audit record, in one transaction.
func (s *Service) Submit(ctx context.Context, tok string, r *unitreport.Report) (*unitreport.Report, error) {
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		l, err := byToken(&tx.Q, tok)
		if err != nil {
			return err
		}
		if st := l.State(tx.Now); st != unitreport.LinkOpen {
			return errs.New(errs.Conflict, "unitrep.link_"+string(st))
		}
		if err := r.Check(tx.Now); err != nil {
			return err
		}
		if ok, err := tx.UseUnitLink(l.ID); err != nil || !ok {
			return core.OrErr(err, errs.New(errs.Conflict, "unitrep.link_used"))
		}
		local := tx.Now.In(s.zone)
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, s.zone)
		n, err := tx.ReportsOnDay(day, day.AddDate(0, 0, 1))
		if err != nil {
			return err
		}
		r.OrgID, r.UnitID, r.LinkID, r.UnitName = l.OrgID, l.UnitID, l.ID, l.UnitName
		r.Receipt = unitreport.Receipt(day, n+1)
		sig := signal.Signal{Format: signal.FormatUnit, Rule: "unit.report", Severity: signal.High, Status: signal.Firing, At: tx.Now,
			Title: i18n.T(i18n.ZH, "unitrep.sig.title", l.UnitName, r.System),
			Detail: i18n.T(i18n.ZH, "unitrep.sig.detail", r.System, r.HappenedAt.In(s.zone).Format("2006-01-02 15:04"), r.ContactName,
				r.ContactPhone, r.Receipt, r.What),
			Labels: map[string]string{"unit_id": fmt.Sprint(l.UnitID), "receipt": r.Receipt, "attachments": fmt.Sprint(len(r.Attachments))},
			Key:    "unit-report/" + r.Receipt}
		if r.AlertID, _, err = tx.UpsertAlert(l.OrgID, 0, &sig); err != nil {
			return err
		}
		if err := tx.CreateUnitReport(r); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{Actor: "unit-link", Action: "unit_report.submit", ObjectType: "unit_report", ObjectID: r.ID, OrgID: r.OrgID,
			Detail: map[string]any{"unit_id": r.UnitID, "link_id": l.ID, "receipt": r.Receipt, "alert_id": r.AlertID, "attachments": r.Attachments}})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Check says everything wrong with a report without taking it: the form
// asks when some fields could not even be read, to name the rest at once.
func (s *Service) Check(r *unitreport.Report) error { return r.Check(s.Now()) }
