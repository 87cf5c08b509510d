package api

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"yingji/internal/errs"
	"yingji/internal/evidence"
	"yingji/internal/exhibits"
	"yingji/internal/i18n"
	"yingji/internal/user"
	"yingji/internal/web/httpx"
)

// Evidence (issue 13): the register, files, custody, capture and export.

type evidenceFileJSON struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	MediaType  string  `json:"media_type"`
	Size       int64   `json:"size"`
	SHA256     string  `json:"sha256"`
	SM3        string  `json:"sm3"`
	CapturedAt *string `json:"captured_at"`
	AddedBy    int64   `json:"added_by"`
	AddedAt    string  `json:"added_at"`
}

type evidenceItemJSON struct {
	ID          int64              `json:"id"`
	IncidentID  int64              `json:"incident_id"`
	Number      string             `json:"number"`
	Kind        string             `json:"kind"`
	KindName    string             `json:"kind_name"`
	Description string             `json:"description"`
	Place       string             `json:"place"`
	CollectedAt string             `json:"collected_at"`
	CollectedBy string             `json:"collected_by"`
	Witnesses   string             `json:"witnesses"`
	SealNumber  string             `json:"seal_number"`
	TaskID      *int64             `json:"task_id"`
	SourceURL   string             `json:"source_url,omitempty"`
	CustodianID int64              `json:"custodian_id"`
	Status      string             `json:"status"`
	Reason      string             `json:"reason,omitempty"`
	Files       []evidenceFileJSON `json:"files"`
}

func (s *Server) toItemJSON(it *evidence.Item, l i18n.Lang) evidenceItemJSON {
	v := evidenceItemJSON{ID: it.ID, IncidentID: it.IncidentID, Number: it.Number, Kind: string(it.Kind),
		KindName: i18n.T(l, "evidence.kind."+string(it.Kind)), Description: it.Description, Place: it.Place,
		CollectedAt: ts(it.CollectedAt, s.Loc), CollectedBy: it.CollectedBy, Witnesses: it.Witnesses, SealNumber: it.SealNumber,
		TaskID: idPtr(it.TaskID), SourceURL: it.SourceURL, CustodianID: it.CustodianID, Status: string(it.Status), Reason: it.Reason,
		Files: []evidenceFileJSON{}}
	for _, f := range it.Files {
		v.Files = append(v.Files, s.toFileJSON(f))
	}
	return v
}

func (s *Server) toFileJSON(f *evidence.FileRef) evidenceFileJSON {
	return evidenceFileJSON{ID: f.ID, Name: f.Name, MediaType: f.MediaType, Size: f.Size, SHA256: f.SHA256, SM3: f.SM3,
		CapturedAt: tsPtr(f.CapturedAt, s.Loc), AddedBy: f.AddedBy, AddedAt: ts(f.AddedAt, s.Loc)}
}

func (s *Server) apiEvidence(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	reg, err := s.App.Evidence.Items(r.Context(), u, id)
	if err != nil {
		return err
	}
	items := convert(reg.Items, func(it *evidence.Item) evidenceItemJSON { return s.toItemJSON(it, lang(r)) })
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "can_add": reg.CanAdd})
	return nil
}

type evidenceBody struct {
	Kind        string    `json:"kind"`
	Description string    `json:"description"`
	Place       string    `json:"place"`
	CollectedAt time.Time `json:"collected_at"`
	CollectedBy string    `json:"collected_by"`
	Witnesses   string    `json:"witnesses"`
	SealNumber  string    `json:"seal_number"`
	TaskID      int64     `json:"task_id"`
}

func (s *Server) apiRegisterEvidence(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[evidenceBody](r)
	if err != nil {
		return err
	}
	it, err := s.App.Evidence.Register(r.Context(), u, id, evidence.New{Kind: evidence.Kind(b.Kind), Description: b.Description,
		Place: b.Place, CollectedAt: b.CollectedAt, CollectedBy: b.CollectedBy, Witnesses: b.Witnesses, SealNumber: b.SealNumber, TaskID: b.TaskID})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.toItemJSON(it, lang(r)))
	return nil
}

type custodyJSON struct {
	ID       int64  `json:"id"`
	FileID   *int64 `json:"file_id"`
	Action   string `json:"action"`
	Name     string `json:"action_name"`
	ActorID  int64  `json:"actor_id"`
	Actor    string `json:"actor"`
	At       string `json:"at"`
	Reason   string `json:"reason"`
	ToUserID *int64 `json:"to_user_id"`
	Detail   string `json:"detail"`
}

func (s *Server) apiEvidenceItem(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.App.Evidence.Item(r.Context(), u, id)
	if err != nil {
		return err
	}
	log := make([]custodyJSON, 0, len(v.Custody))
	for _, c := range v.Custody {
		log = append(log, custodyJSON{ID: c.ID, FileID: idPtr(c.FileID), Action: string(c.Action), Name: i18n.T(lang(r), "evidence.action."+string(c.Action)),
			ActorID: c.ActorID, Actor: c.Actor, At: ts(c.At, s.Loc), Reason: c.Reason, ToUserID: idPtr(c.ToUserID), Detail: c.Detail})
	}
	email := map[string]any{}
	for fid, h := range v.Email {
		email[strconv.FormatInt(fid, 10)] = map[string]any{"date": h.Date, "from": h.From, "to": h.To, "cc": h.Cc, "subject": h.Subject,
			"message_id": h.MessageID, "received": h.Received}
	}
	writeJSON(w, http.StatusOK, map[string]any{"item": s.toItemJSON(v.Item, lang(r)), "custody": log, "can_change": v.CanChange, "email_headers": email})
	return nil
}

// apiUploadEvidence takes one file as the raw body (?name=, Content-Type,
// Content-Length) or several as multipart/form-data, streamed part by part:
// nothing is held whole in memory or parsed to a temporary form.
func (s *Server) apiUploadEvidence(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if max := s.App.Evidence.MaxUpload; r.ContentLength > max && !isMultipart(r) {
		// Refused before the body is read (Content-Length is the sender's
		// word; the counting reader holds it to it).
		s.writeTooLarge(w, r, max)
		return nil
	}
	extendBodyDeadline(w, httpx.EvidenceWindow)
	var out []evidenceFileJSON
	if isMultipart(r) {
		mr, err := r.MultipartReader()
		if err != nil {
			return errs.Field("body", "error.body_incomplete")
		}
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return bodyError(err)
			}
			if p.FileName() == "" {
				continue
			}
			f, err := s.App.Evidence.AddFile(r.Context(), u, id, exhibits.Upload{Name: p.FileName(), MediaType: p.Header.Get("Content-Type"), Size: -1, Body: p})
			if err != nil {
				return s.uploadError(w, r, err)
			}
			out = append(out, s.toFileJSON(f))
		}
		if len(out) == 0 {
			return errs.Field("file", "error.required")
		}
	} else {
		f, err := s.App.Evidence.AddFile(r.Context(), u, id, exhibits.Upload{Name: r.URL.Query().Get("name"), MediaType: r.Header.Get("Content-Type"),
			Size: r.ContentLength, Body: r.Body})
		if err != nil {
			return s.uploadError(w, r, err)
		}
		out = append(out, s.toFileJSON(f))
	}
	writeJSON(w, http.StatusCreated, map[string]any{"files": out})
	return nil
}

func isMultipart(r *http.Request) bool {
	t, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return t == "multipart/form-data"
}

func (s *Server) uploadError(w http.ResponseWriter, r *http.Request, err error) error {
	if exhibits.IsTooLarge(err) {
		s.writeTooLarge(w, r, s.App.Evidence.MaxUpload)
		return nil
	}
	return err
}

func (s *Server) writeTooLarge(w http.ResponseWriter, r *http.Request, max int64) {
	w.Header().Set("Connection", "close") // the rest of the body is not read
	s.writeStatusProblem(w, r, http.StatusRequestEntityTooLarge, "too_large", "evidence.too_large", max>>20)
}

// apiDownloadEvidence sends a file as an attachment. The body is re-hashed
// as it goes and its end held back until it matches; content that no
// longer matches is refused before the first byte when small, and cut off
// (the connection aborted, the finding recorded) when not.
func (s *Server) apiDownloadEvidence(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, fid, err := idAnd(r, "fileId")
	if err != nil {
		return err
	}
	f, body, err := s.App.Evidence.Download(r.Context(), u, id, fid)
	if err != nil {
		return err
	}
	defer body.Close()
	return httpx.SendChecked(w, f.Name, f.Size, body, exhibits.ErrCorrupt, func(h http.Header) {
		if sum, err := hex.DecodeString(f.SHA256); err == nil {
			h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":") // RFC 9530
		}
		h.Set("X-Evidence-SM3", f.SM3)
	})
}

type custodyBody struct {
	Action     string `json:"action"`
	Reason     string `json:"reason"`
	ToUserID   int64  `json:"to_user_id"`
	SealNumber string `json:"seal_number"`
}

func (s *Server) apiEvidenceCustody(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[custodyBody](r)
	if err != nil {
		return err
	}
	it, err := s.App.Evidence.Change(r.Context(), u, id, evidence.Change{Action: evidence.Action(b.Action), Reason: b.Reason,
		ToUserID: b.ToUserID, SealNumber: b.SealNumber})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toItemJSON(it, lang(r)))
	return nil
}

func (s *Server) apiVerifyEvidence(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	checks, err := s.App.Evidence.Verify(r.Context(), u, id)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(checks))
	ok := true
	for _, c := range checks {
		out = append(out, map[string]any{"file_id": c.File.ID, "name": c.File.Name, "ok": c.OK, "mismatch": c.Why})
		ok = ok && c.OK
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": ok, "files": out})
	return nil
}

type captureBody struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

func (s *Server) apiCaptureEvidence(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[captureBody](r)
	if err != nil {
		return err
	}
	it, err := s.App.Evidence.Capture(r.Context(), u, id, b.URL, b.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.toItemJSON(it, lang(r)))
	return nil
}

type exportBody struct {
	Reason string `json:"reason"`
}

// apiExportEvidence answers the signed package (ZIP). The custody rows are
// written before the first byte; a package cut off is simply not a package
// (its signature will not verify).
func (s *Server) apiExportEvidence(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[exportBody](r)
	if err != nil {
		return err
	}
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(httpx.EvidenceWindow))
	lw := &httpx.LazyAttachment{W: w, Name: "evidence-" + strconv.FormatInt(id, 10) + ".zip", Type: "application/zip"}
	if _, err := s.App.Evidence.Export(r.Context(), u, id, b.Reason, lw); err != nil {
		if lw.Started {
			panic(http.ErrAbortHandler)
		}
		return err
	}
	return nil
}
