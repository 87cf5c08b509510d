package console

import (
	"context"
	"net/http"
	"strconv"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/user"
)

// The incident page's forms. Each decodes the form, calls one service
// method and redirects back with a message.

func (s *Server) requestActivation(w http.ResponseWriter, r *http.Request, c *req) error {
	return s.request(w, r, c, s.App.Incidents.RequestActivation, "done.activation")
}

func (s *Server) requestTermination(w http.ResponseWriter, r *http.Request, c *req) error {
	return s.request(w, r, c, s.App.Incidents.RequestTermination, "done.termination")
}

func (s *Server) request(w http.ResponseWriter, r *http.Request, c *req,
	do func(context.Context, *user.User, int64, string) (*incident.Approval, error), ok string) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	_, err = do(r.Context(), c.u, id, r.PostFormValue("reason"))
	return done(w, r, c, incidentURL(id), err, i18n.T(c.l, ok))
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	_, err = s.App.Incidents.AddNoteWith(r.Context(), c.u, id, incidents.Note{Text: r.PostFormValue("text"), Internal: r.PostFormValue("internal") != "", Feedback: r.PostFormValue("feedback") != ""})
	return done(w, r, c, incidentURL(id), err, i18n.T(c.l, "done.note"))
}

func (s *Server) fileSummary(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	rep, err := s.App.Reports.FileSummary(r.Context(), c.u, id, r.PostFormValue("title"), r.PostFormValue("body"))
	if err == nil { // the summary now waits for sign-off on its report page
		setFlash(w, r, "ok", i18n.T(c.l, "done.summary"))
		http.Redirect(w, r, reportURL(rep.ID), http.StatusSeeOther)
		return nil
	}
	return done(w, r, c, incidentURL(id), err, "")
}

// updateTask handles the task row's buttons: a status move (with the note
// field), an assignment, or a note alone.
func (s *Server) updateTask(w http.ResponseWriter, r *http.Request, c *req) error {
	id, taskID, err := idAnd(r, "taskId")
	if err != nil {
		return err
	}
	var p incidents.TaskPatch
	if st := r.PostFormValue("status"); st != "" {
		p.Status = &st
		if r.PostForm.Has("reason") {
			reason := r.PostFormValue("reason")
			p.Reason = &reason
		}
	}
	if r.PostForm.Has("note") && (p.Status != nil || r.PostFormValue("save") == "note") {
		note := r.PostFormValue("note")
		p.Note = &note
	}
	if a := r.PostFormValue("assignee_id"); r.PostFormValue("save") == "assign" {
		n, perr := strconv.ParseInt(a, 10, 64)
		if perr != nil || n < 0 {
			return done(w, r, c, incidentURL(id), errs.Field("assignee_id", "error.bad_assignee"), "")
		}
		p.AssigneeID = &n
	}
	t, err := s.App.Incidents.UpdateTask(r.Context(), c.u, id, taskID, p)
	msg := ""
	if t != nil {
		msg = i18n.T(c.l, "task.updated", t.Title)
	}
	return done(w, r, c, incidentURL(id)+"#task-"+itoa64(taskID), err, msg)
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	d, err := incidents.ParseDecision(r.PostFormValue("decision"), r.PostFormValue("opinion"))
	if err == nil {
		_, err = s.App.Incidents.Decide(r.Context(), c.u, id, d)
	}
	ok := "done.rejected"
	if d.Approve {
		ok = "done.approved"
	}
	return done(w, r, c, "/approvals", err, i18n.T(c.l, ok))
}

func (s *Server) approvalsPage(w http.ResponseWriter, r *http.Request, c *req) error {
	items, err := s.App.Dashboard.Inbox(r.Context(), c.u)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "appr.title"), "approvals")
	p.Live = "/events"
	p.Data = items
	s.render(w, http.StatusOK, "approvals", p)
	return nil
}

func (s *Server) planPage(w http.ResponseWriter, r *http.Request, c *req) error {
	pl, err := s.App.Dashboard.PlanFor(r.Context(), c.u)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, pl.Title, "plan")
	p.Data = pl
	s.render(w, http.StatusOK, "plan", p)
	return nil
}

// requestTaskApproval asks for the approval a gated task needs.
func (s *Server) requestTaskApproval(w http.ResponseWriter, r *http.Request, c *req) error {
	id, taskID, err := idAnd(r, "taskId")
	if err != nil {
		return err
	}
	_, err = s.App.Incidents.RequestTaskApproval(r.Context(), c.u, id, taskID, r.PostFormValue("reason"))
	return done(w, r, c, incidentURL(id)+"/tasks/"+itoa64(taskID), err, i18n.T(c.l, "done.task_approval"))
}

// decideTaskApproval records the decision on a gated task's request.
func (s *Server) decideTaskApproval(w http.ResponseWriter, r *http.Request, c *req) error {
	id, taskID, err := idAnd(r, "taskId")
	if err != nil {
		return err
	}
	d, err := incidents.ParseDecision(r.PostFormValue("decision"), r.PostFormValue("opinion"))
	if err == nil {
		_, err = s.App.Incidents.DecideTaskApproval(r.Context(), c.u, id, taskID, d)
	}
	return done(w, r, c, incidentURL(id)+"/tasks/"+itoa64(taskID), err, i18n.T(c.l, "done.task_decided"))
}
