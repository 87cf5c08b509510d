package console

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"yingji/internal/audit"
	"yingji/internal/auditlog"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/web/httpx"
)

// auditView is the 审计记录 page: the filter as typed, its errors, one page
// of records in words, and (when asked) the chain's check.
type auditView struct {
	Form     map[string]string
	Errors   map[string]string // field → message
	Actions  []auditAction
	Rows     []auditRow
	Next     string // the 较早的记录 link; "" on the last page
	Filtered bool
	Export   string // the CSV of this filter
	Verify   *auditCheck
	Anchor   string
	Checked  bool
}

type auditAction struct{ Code, Name string }

// auditCheck is the chain check's outcome as the page shows it.
type auditCheck struct {
	Records, HeadSeq int64
	Head             string
	Err              error
}

type auditRow struct {
	Seq                  int64
	At, Actor, Action    string
	Code, Org, Object    string
	Link                 string
	Detail               []auditField
	Hash                 string
	ActorLink, IncidentQ string
}

type auditField struct{ Name, Value string }

// auditPage serves GET /audit (the records) and GET /audit/verify (the
// same page with the whole chain checked, against an anchor if given).
// The check reads every record and covered row, so a page view does not
// run it: the auditor asks for it.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, c *req) error {
	q := r.URL.Query()
	v := &auditView{Form: map[string]string{}, Errors: map[string]string{}}
	for _, k := range []string{"from", "to", "actor", "action", "incident", "anchor"} {
		v.Form[k] = strings.TrimSpace(q.Get(k))
	}
	for _, a := range audit.Actions {
		v.Actions = append(v.Actions, auditAction{a, i18n.T(c.l, "audit.action."+a)})
	}
	st := http.StatusOK
	f, err := audit.ParseFilter(q.Get, s.loc(), audit.Known)
	if err == nil && r.URL.Path == "/audit/verify" {
		err = s.auditVerify(r, c, v)
	}
	if err == nil {
		f.Newest = true
		var pg *auditlog.Page
		if pg, err = s.App.AuditLog.Records(r.Context(), c.u, f); err == nil {
			s.auditRows(c, v, pg)
			v.Filtered = f.Query(s.loc()) != ""
			v.Export = "/audit.csv?" + f.Query(s.loc())
			if pg.Next > 0 {
				v.Next = "/audit?" + strings.TrimPrefix(f.Query(s.loc())+"&before="+strconv.FormatInt(pg.Next, 10), "&")
			}
		}
	}
	if fe := errs.FieldErrors(err); len(fe) > 0 && errs.CodeOf(err) == errs.Invalid {
		for _, e := range fe {
			v.Errors[e.Field] = i18n.T(c.l, "error.field_in", i18n.T(c.l, "audit.filter."+e.Field), i18n.T(c.l, e.Key, e.Args...))
		}
		st = http.StatusBadRequest
	} else if err != nil {
		return err
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "audit.title"), "audit")
	p.Data = v
	s.render(w, st, "audit", p)
	return nil
}

// auditVerify checks the chain (and the anchor, if one was typed).
func (s *Server) auditVerify(r *http.Request, c *req, v *auditView) error {
	var anchors []audit.Anchor
	if a := v.Form["anchor"]; a != "" {
		an, err := audit.ParseAnchor(a)
		if err != nil {
			return errs.Fields{errs.Field("anchor", "error.bad_anchor")}
		}
		anchors, v.Anchor = append(anchors, an), an.String()
	}
	res, err := s.App.AuditLog.Check(r.Context(), c.u, anchors...)
	v.Verify = &auditCheck{Records: res.Records, HeadSeq: res.HeadSeq, Head: res.Head, Err: res.Err}
	v.Checked = true
	return err
}

func (s *Server) auditRows(c *req, v *auditView, pg *auditlog.Page) {
	for _, rec := range pg.Records {
		row := auditRow{Seq: rec.Seq, At: auditTime(c.l, s.loc(), rec.At), Actor: rec.Actor, Code: rec.Action,
			Org: pg.Orgs[rec.OrgID], Hash: rec.Hash, ActorLink: "/audit?actor=" + rec.Actor}
		row.Action = rec.Action
		if audit.Known(rec.Action) {
			row.Action = i18n.T(c.l, "audit.action."+rec.Action)
		}
		row.Object = auditObject(c.l, rec.ObjectType, rec.ObjectID)
		if id := auditlog.IncidentOf(rec); id > 0 {
			if n := pg.Numbers[id]; n != "" {
				row.Object += " · " + n
				row.IncidentQ = "/audit?incident=" + n
			}
			if pg.Incidents[id] != nil {
				row.Link = "/incidents/" + strconv.FormatInt(id, 10)
			}
		}
		row.Detail = auditDetail(c.l, s.loc(), rec.Detail)
		v.Rows = append(v.Rows, row)
	}
}

// auditObject names a record's object: its kind in words and its id.
func auditObject(l i18n.Lang, typ string, id int64) string {
	name := typ
	if k := "audit.object." + typ; i18n.Has(k) {
		name = i18n.T(l, k)
	}
	if id == 0 {
		return name
	}
	return name + " " + strconv.FormatInt(id, 10)
}

// auditTime is a record's time in Beijing time, to the second (the order
// of two acts in one minute matters to an auditor).
func auditTime(l i18n.Lang, loc *time.Location, t time.Time) string {
	if l == i18n.EN {
		return t.In(loc).Format("2006-01-02 15:04:05")
	}
	return t.In(loc).Format("2006年1月2日 15:04:05")
}

// auditDetail writes a record's JSON detail as field: value lines: known
// fields by name, times (milliseconds or RFC 3339) in Beijing time, lists
// joined, anything nested as compact JSON, long values cut.
func auditDetail(l i18n.Lang, loc *time.Location, detail string) []auditField {
	var m map[string]any
	if json.Unmarshal([]byte(detail), &m) != nil {
		if detail == "" || detail == "{}" || detail == "null" {
			return nil
		}
		return []auditField{{i18n.T(l, "audit.field.detail"), cut(detail)}}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]auditField, 0, len(keys))
	for _, k := range keys {
		name := k
		if fk := "audit.field." + k; i18n.Has(fk) {
			name = i18n.T(l, fk)
		}
		if _, list := m[k].([]any); list && k == "to" {
			name = i18n.T(l, "audit.field.to_people") // an escalation's recipients, not a new state
		}
		out = append(out, auditField{name, auditValue(l, loc, k, m[k])})
	}
	return out
}

func auditValue(l i18n.Lang, loc *time.Location, key string, v any) string {
	switch v := v.(type) {
	case nil:
		return "—"
	case bool:
		if v {
			return i18n.T(l, "audit.yes")
		}
		return i18n.T(l, "audit.no")
	case float64:
		if key == "level" && i18n.Has("level."+strconv.Itoa(int(v))) {
			return i18n.T(l, "level."+strconv.Itoa(int(v)))
		}
		// times are stored as Unix milliseconds: 2001-09-09 onwards
		if v >= 1e12 && v < 1e14 && (strings.HasSuffix(key, "_at") || key == "at" || key == "until" || key == "start" || key == "end" || key == "due") {
			return auditTime(l, loc, time.UnixMilli(int64(v)))
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		if pre, ok := auditValueKeys[key]; ok && i18n.Has(pre+v) {
			return i18n.T(l, pre+v)
		}
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil && len(v) >= 20 {
			return auditTime(l, loc, t)
		}
		if v == "" {
			return "—"
		}
		return cut(v)
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			if _, nested := e.(map[string]any); nested {
				b, _ := json.Marshal(v)
				return cut(string(b))
			}
			parts = append(parts, auditValue(l, loc, key, e))
		}
		if len(parts) == 0 {
			return "—"
		}
		return cut(strings.Join(parts, i18n.T(l, "audit.list_sep")))
	default:
		b, _ := json.Marshal(v)
		return cut(string(b))
	}
}

// auditValueKeys are the detail fields whose values are codes the
// catalogue names (an incident's status, an approval's kind and decision).
var auditValueKeys = map[string]string{"from": "status.", "to": "status.", "status": "status.", "decision": "approval.", "kind": "approval."}

// cut bounds a value shown in the table; the API gives it whole.
func cut(s string) string {
	const n = 300
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + fmt.Sprintf("…（%d）", len(r))
	}
	return s
}

// auditCSVMax bounds one export; a longer period is exported in parts.
const auditCSVMax = 100_000

// auditCSV exports the filtered records (newest first) as CSV in UTF-8
// with a byte-order mark, so that Excel opens the Chinese as Chinese. Each
// row carries the record as stored (its detail's JSON whole, the previous
// and own hash) beside the words the page shows, so that the file can be
// checked against the chain. A file cut short (the bound, or a read failing
// after the header went) says so in its last line, with where to go on.
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request, c *req) error {
	f, err := audit.ParseFilter(r.URL.Query().Get, s.loc(), audit.Known)
	if err != nil {
		return err
	}
	f.Newest, f.Limit = true, audit.MaxPage
	pg, err := s.App.AuditLog.Records(r.Context(), c.u, f)
	if err != nil {
		return err // nothing written yet: the error page
	}
	httpx.Attachment(w, "audit-"+s.App.Core.Now().In(s.loc()).Format("20060102-150405")+".csv")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	cw.Write([]string{"#", i18n.T(c.l, "adm.rec_at"), i18n.T(c.l, "adm.rec_actor"), i18n.T(c.l, "adm.rec_action"), i18n.T(c.l, "audit.code"),
		i18n.T(c.l, "audit.object"), i18n.T(c.l, "col.org"), i18n.T(c.l, "adm.rec_detail"), i18n.T(c.l, "audit.csv_raw"),
		i18n.T(c.l, "audit.csv_prev"), i18n.T(c.l, "audit.hash")})
	for n := 0; ; {
		v := &auditView{}
		s.auditRows(c, v, pg)
		for i, row := range v.Rows {
			lines := make([]string, 0, len(row.Detail))
			for _, d := range row.Detail {
				lines = append(lines, d.Name+i18n.T(c.l, "sep.colon")+d.Value)
			}
			rec := pg.Records[i]
			cw.Write([]string{strconv.FormatInt(row.Seq, 10), row.At, row.Actor, row.Action, row.Code, row.Object, row.Org,
				strings.Join(lines, "\n"), rec.Detail, rec.PrevHash, rec.Hash})
		}
		n += len(pg.Records)
		if pg.Next == 0 {
			break
		}
		if n >= auditCSVMax {
			cw.Write([]string{i18n.T(c.l, "audit.csv_more", n, pg.Next)})
			break
		}
		f.Before = pg.Next
		if pg, err = s.App.AuditLog.Records(r.Context(), c.u, f); err != nil {
			s.logError("audit export", "err", err)
			cw.Write([]string{i18n.T(c.l, "audit.csv_failed", n, f.Before)})
			break
		}
	}
	cw.Flush()
	return nil
}
