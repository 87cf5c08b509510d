package console

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/registry"
	"yingji/internal/rota"
	"yingji/internal/units"
	"yingji/internal/web/httpx"
)

type dutyDay struct {
	Start, End time.Time
	Shift      *rota.ShiftView
	Gap        bool
}

func (s *Server) dutyPage(w http.ResponseWriter, r *http.Request, c *req) error {
	return s.renderDuty(w, r, c, http.StatusOK, nil)
}

// renderDuty renders /duty; f carries the log form back with its errors.
func (s *Server) renderDuty(w http.ResponseWriter, r *http.Request, c *req, st int, f *logForm) error {
	now, err := s.App.Rota.DutyNow(r.Context(), c.u, 0)
	if err != nil {
		return err
	}
	loc := s.loc()
	t := s.App.Core.Now().In(loc)
	from := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	sc, err := s.App.Rota.DutySchedule(r.Context(), c.u, 0, from, from.AddDate(0, 0, 14))
	if err != nil {
		return err
	}
	var rows []dutyDay
	gi := 0
	for _, v := range sc.Shifts {
		for gi < len(sc.Gaps) && sc.Gaps[gi].Start.Before(v.Shift.Start) {
			rows = append(rows, dutyDay{Start: sc.Gaps[gi].Start, End: sc.Gaps[gi].End, Gap: true})
			gi++
		}
		rows = append(rows, dutyDay{Start: v.Shift.Start, End: v.Shift.End, Shift: v})
	}
	for ; gi < len(sc.Gaps); gi++ {
		rows = append(rows, dutyDay{Start: sc.Gaps[gi].Start, End: sc.Gaps[gi].End, Gap: true})
	}
	handovers, err := s.App.Rota.Handovers(r.Context(), c.u, 0)
	if err != nil {
		return err
	}
	var pending *duty.Handover
	canConfirm := false
	if now.Handover != nil && now.Handover.ConfirmedAt == nil && now.Current != nil {
		pending = now.Handover
		canConfirm = now.Current.Shift.Has(c.u.ID)
	}
	onShift := now.Current != nil && now.Current.Shift.Has(c.u.ID)
	p := s.newPage(w, r, c, i18n.T(c.l, "duty.title"), "duty")
	p.Data = map[string]any{"Now": now, "Rows": rows, "Periods": sc.Periods, "Changes": sc.Pending, "Handovers": handovers, "Pending": pending,
		"CanConfirm": canConfirm, "OnShift": onShift}
	if err := s.dutyMore(r, c, p.Data.(map[string]any), f); err != nil {
		return err
	}
	s.render(w, st, "duty", p)
	return nil
}

func (s *Server) handoverSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var items []string
	for _, l := range strings.Split(r.PostFormValue("open_items"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			items = append(items, l)
		}
	}
	_, err = s.App.Rota.HandOver(r.Context(), c.u, id, r.PostFormValue("notes"), items)
	return done(w, r, c, "/duty", err, i18n.T(c.l, "duty.handed_over"))
}

func (s *Server) confirmSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, err = s.App.Rota.ConfirmHandover(r.Context(), c.u, id)
	if errs.CodeOf(err) == errs.Forbidden {
		return back(w, r, "/duty", "error", errText(c.l, err))
	}
	return done(w, r, c, "/duty", err, i18n.T(c.l, "duty.confirmed"))
}

func (s *Server) registryPage(w http.ResponseWriter, r *http.Request, c *req) error {
	f, org, err := registryFilter(r)
	if err != nil {
		return err
	}
	list, err := s.App.Units.ListUnits(r.Context(), c.u, f, org)
	if err != nil {
		return err
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "reg.title"), "registry")
	p.Data = map[string]any{"Units": list, "Q": f.Q, "Kind": f.Kind, "Kinds": registry.UnitKinds, "Prefix": f.Prefix,
		"Ledgers": units.LedgerKinds, "CanEdit": access.MayEditRegistry(c.u)}
	s.render(w, http.StatusOK, "registry", p)
	return nil
}

// importSubmit takes an uploaded ledger (the console's request limit, 1 MiB:
// larger files go through the API or the CLI) and shows the row-by-row report.
func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return back(w, r, "/registry", "error", i18n.T(c.l, "reg.no_file"))
	}
	defer file.Close()
	format, err := registry.FormatOf(hdr.Filename)
	if err != nil {
		return back(w, r, "/registry", "error", errText(c.l, err))
	}
	data, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	kind, dry := r.PostFormValue("kind"), r.PostFormValue("dry_run") != ""
	rep, err := s.App.Units.ImportFile(r.Context(), c.u, 0, hdr.Filename, bytes.NewReader(data), format, kind, dry)
	if rep == nil {
		if errs.CodeOf(err) == errs.Invalid {
			return back(w, r, "/registry", "error", errText(c.l, err))
		}
		return err
	}
	st := http.StatusOK
	msg := ""
	switch {
	case err != nil && errs.CodeOf(err) != errs.Invalid:
		return err
	case err != nil:
		st, msg = http.StatusUnprocessableEntity, errText(c.l, err)
	case dry:
		msg = i18n.T(c.l, "reg.dry_done")
	default:
		msg = i18n.T(c.l, "reg.imported")
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "reg.report"), "registry")
	p.Data = map[string]any{"Rep": rep, "Msg": msg, "Failed": err != nil, "File": hdr.Filename}
	s.render(w, st, "import_report", p)
	return nil
}

func (s *Server) exportDownload(w http.ResponseWriter, r *http.Request, c *req) error {
	kind, format := r.URL.Query().Get("kind"), registry.Format(r.URL.Query().Get("format"))
	b, name, ct, err := s.App.Units.Export(r.Context(), c.u, 0, format, kind)
	if err != nil {
		return err
	}
	httpx.WriteLedger(w, b, name, ct)
	return nil
}

// shiftKind names a shift kind in the page's language.
func shiftKind(l i18n.Lang, k duty.Kind) string { return i18n.T(l, "duty.kind."+string(k)) }
