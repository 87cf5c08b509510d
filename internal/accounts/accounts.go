// Package accounts holds the use cases of the people who use yingji: their
// accounts and roles, the organisations and departments they belong to (the
// three administrators' work, 三员分立), console sessions with the second
// factor (TOTP), and API tokens.
package accounts

import (
	"context"
	"time"

	"yingji/internal/core"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Service is the account use cases.
type Service struct {
	*core.Core
	// IdleTimeout ends a console session after this long without a
	// request (0: DefaultIdleTimeout).
	IdleTimeout time.Duration
	// TOTPOptional lets admins and leaders without a second factor in
	// without enrolling first. For `serve --demo` only: a newcomer trying
	// the demo has no authenticator app at hand. Enrolled users are always
	// asked for their code.
	TOTPOptional bool
}

// New returns the account use cases over c.
func New(c *core.Core) *Service { return &Service{Core: c} }

// signerRoles may sign a report (签发) and so must hold a second factor
// (TOTPRequired). The same list as the report use cases' signers.
var signerRoles = []string{user.RoleLeader, user.RoleDeputy}

// ListUsers lists every account (for the operator's CLI).
func (s *Service) ListUsers(ctx context.Context) ([]*user.User, error) {
	var out []*user.User
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		out, err = q.Users(0)
		return err
	})
	return out, err
}

// OrgUsers lists the accounts of one organisation, disabled ones too (a
// page names them in what they did): what the roster's forms choose from,
// without reading every account.
func (s *Service) OrgUsers(ctx context.Context, orgID int64) ([]*user.User, error) {
	var out []*user.User
	err := s.DB.Read(ctx, func(q *store.Q) (err error) {
		if orgID == 0 { // 0 would read every organisation's
			return nil
		}
		out, err = q.Users(orgID)
		return err
	})
	return out, err
}

// UserNames returns the display names of the users ids names, by id, in
// one query: what a page that names who did something needs, without
// reading every account (ListUsers).
func (s *Service) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	var out map[int64]string
	err := s.DB.Read(ctx, func(q *store.Q) (err error) {
		out, err = q.UserNames(ids)
		return err
	})
	return out, err
}

// Orgs returns every organisation's name by id.
func (s *Service) Orgs(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	err := s.DB.Read(ctx, func(q *store.Q) error {
		orgs, err := q.Orgs()
		for _, o := range orgs {
			out[o.ID] = o.Name
		}
		return err
	})
	return out, err
}

// KnownRoles are the roles the software relies on and those any stored plan
// defines (a city bureau has no plan of its own but holds a plan's approver
// role), so that a typo in a role is refused rather than silently useless.
func (s *Service) KnownRoles(q *store.Q) (map[string]bool, error) {
	known := map[string]bool{user.RoleDutyOfficer: true, user.RoleLeader: true, user.RoleDeputy: true, user.RoleMember: true}
	for _, r := range user.AdminRoles {
		known[r] = true
	}
	rows, err := q.Plans()
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		p, err := s.PlanByID(q, row.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range p.Roles {
			known[r.Key] = true
		}
	}
	// The shipped plan still lists the first release's "admin"; it grants
	// nothing since migration 008, so it is no longer given to anyone.
	delete(known, user.RoleLegacyAdmin)
	return known, nil
}
