package api

import (
	"context"
	"net/http"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/user"
)

type reasonBody struct {
	Reason string `json:"reason"`
}

func (s *Server) apiRequestActivation(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.apiRequest(w, r, u, s.App.Incidents.RequestActivation)
}

func (s *Server) apiRequestTermination(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.apiRequest(w, r, u, s.App.Incidents.RequestTermination)
}

func (s *Server) apiRequest(w http.ResponseWriter, r *http.Request, u *user.User,
	do func(ctx context.Context, u *user.User, id int64, reason string) (*incident.Approval, error)) error {
	id, b, err := idBody[reasonBody](r)
	if err != nil {
		return err
	}
	a, err := do(r.Context(), u, id, b.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toApprovalJSON(a, s.Loc))
	return nil
}

type decisionBody struct {
	Decision string `json:"decision"`
	Opinion  string `json:"opinion"`
}

// decodeDecision reads an approve/reject body with its opinion.
func decodeDecision(r *http.Request) (incidents.Decision, error) {
	var b decisionBody
	if err := decode(r, &b); err != nil {
		return incidents.Decision{}, err
	}
	return incidents.ParseDecision(b.Decision, b.Opinion)
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := decodeDecision(r)
	if err != nil {
		return err
	}
	a, err := s.App.Incidents.Decide(r.Context(), u, id, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toApprovalJSON(a, s.Loc))
	return nil
}

func (s *Server) apiPendingApprovals(w http.ResponseWriter, r *http.Request, u *user.User) error {
	list, err := s.App.Incidents.ApprovalsFor(r.Context(), u)
	if err != nil {
		return err
	}
	out := convert(list, func(a *incident.Approval) approvalJSON { return toApprovalJSON(a, s.Loc) })
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type taskApprovalBody struct {
	Reason string `json:"reason"`
}

func taskPath(r *http.Request) (id, taskID int64, err error) { return idAnd(r, "taskId") }

// apiRequestTaskApproval asks for the approval a gated task needs
// (四(一)2 关闭本地网站和网上服务,需报经分管领导批准).
func (s *Server) apiRequestTaskApproval(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, taskID, err := taskPath(r)
	if err != nil {
		return err
	}
	var b taskApprovalBody
	if err := decode(r, &b); err != nil {
		return err
	}
	t, err := s.App.Incidents.RequestTaskApproval(r.Context(), u, id, taskID, b.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toTaskJSON(t, s.Loc, s.App.Core.Now()))
	return nil
}

// apiDecideTaskApproval records the decision on a gated task's request.
func (s *Server) apiDecideTaskApproval(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, taskID, err := taskPath(r)
	if err != nil {
		return err
	}
	d, err := decodeDecision(r)
	if err != nil {
		return err
	}
	t, err := s.App.Incidents.DecideTaskApproval(r.Context(), u, id, taskID, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTaskJSON(t, s.Loc, s.App.Core.Now()))
	return nil
}
