package api

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"yingji/internal/i18n"
	"yingji/internal/ingest"
	"yingji/internal/intake"
	"yingji/internal/user"
)

type sourceJSON struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Format    string  `json:"format"`
	CreatedAt string  `json:"created_at"`
	RevokedAt *string `json:"revoked_at"`
	Live      bool    `json:"live"`
	URL       string  `json:"url"` // where the source sends, relative to the server
}

func toSourceJSON(s *ingest.Source, loc *time.Location) sourceJSON {
	return sourceJSON{ID: s.ID, Name: s.Name, Format: s.Format, CreatedAt: ts(s.CreatedAt, loc), RevokedAt: tsPtr(s.RevokedAt, loc),
		Live: s.Live(), URL: "/api/v1/intake/" + s.Format}
}

// apiSources lists the caller's organisation's intake sources (never keys).
func (s *Server) apiSources(w http.ResponseWriter, r *http.Request, u *user.User) error {
	list, err := s.App.Intake.Sources(r.Context(), u, u.OrgID)
	if err != nil {
		return err
	}
	out := make([]sourceJSON, len(list))
	for i, src := range list {
		out[i] = toSourceJSON(src, s.Loc)
	}
	writeJSON(w, http.StatusOK, map[string]any{"sources": out})
	return nil
}

// apiCreateSource makes a source in the caller's organisation; the answer
// holds its key, which is never shown again.
func (s *Server) apiCreateSource(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b struct {
		Name   string `json:"name"`
		Format string `json:"format"`
	}
	if err := decode(r, &b); err != nil {
		return err
	}
	src, key, err := s.App.Intake.CreateSource(r.Context(), u, u.OrgID, b.Name, b.Format)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, struct {
		sourceJSON
		Key string `json:"key"`
	}{toSourceJSON(src, s.Loc), key})
	return nil
}

func (s *Server) apiRevokeSource(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	src, err := s.App.Intake.RevokeSource(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSourceJSON(src, s.Loc))
	return nil
}

// intakeKey reads a source key: "Authorization: Bearer KEY", or HTTP Basic
// with the key as the password (for senders that only do basic auth).
func intakeKey(r *http.Request) string {
	if k := bearer(r); k != "" {
		return k
	}
	scheme, v, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v)); err == nil {
			if _, pw, ok := strings.Cut(string(raw), ":"); ok {
				return pw
			}
		}
	}
	return ""
}

// apiIngest takes signals from a source. It answers 200 only after the
// commit that holds them; 413, 429 and 503 (with Retry-After) take nothing.
func (s *Server) apiIngest(w http.ResponseWriter, r *http.Request) {
	src, err := s.App.Intake.Authenticate(r.Context(), intakeKey(r))
	if err != nil {
		if unauthenticated(err) && !s.allow(w, r, s.limits.Anon) {
			return
		}
		s.writeProblem(w, r, err)
		return
	}
	if err := s.App.Intake.Admit(src); err != nil {
		s.writeBusy(w, r, err)
		return
	}
	max := s.App.Intake.MaxBody()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.writeStatusProblem(w, r, http.StatusRequestEntityTooLarge, "body_too_large", "intake.body_too_large", max)
			return
		}
		s.writeProblem(w, r, bodyError(err))
		return
	}
	ans, err := s.App.Intake.Ingest(r.Context(), src, r.PathValue("format"), body)
	var many *ingest.TooManyRecords
	if errors.As(err, &many) {
		s.writeStatusProblem(w, r, http.StatusRequestEntityTooLarge, "too_many_records", "intake.too_many_records", many.Max)
		return
	}
	if err != nil {
		s.writeBusy(w, r, err)
		return
	}
	// The reasons are made here, in the sender's language: the parsers
	// give a code and the record's details only.
	l := lang(r)
	for i := range ans.Rejected {
		rj := &ans.Rejected[i]
		rj.Reason = i18n.T(l, ingest.ReasonKey(rj.Code), rj.Args...)
	}
	writeJSON(w, http.StatusOK, ans)
}

// writeBusy answers intake.Busy as 429 (the source's rate) or 503 (the
// commit queue) with Retry-After, and any other error as a problem.
func (s *Server) writeBusy(w http.ResponseWriter, r *http.Request, err error) {
	var busy *intake.Busy
	if !errors.As(err, &busy) {
		s.writeProblem(w, r, err)
		return
	}
	w.Header().Set("Retry-After", strconv.Itoa(busy.RetryAfter))
	if busy.QueueFull {
		s.writeStatusProblem(w, r, http.StatusServiceUnavailable, "queue_full", "intake.queue_full", busy.RetryAfter)
		return
	}
	s.writeStatusProblem(w, r, http.StatusTooManyRequests, "rate_limited", "error.rate_limited", busy.RetryAfter)
}
