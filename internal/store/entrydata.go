package store

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

// ReportWindow lists the timeline entries a report draft covers: those
// after the entry id after and at or after fromMs, in order. It is the
// timeline query with a cheaper decoder for the entries' data, since a
// daily report over a busy incident reads tens of thousands of them.
func (q *Q) ReportWindow(incidentID, after, sinceMs int64) ([]*incident.Entry, error) {
	rows, err := q.query(entrySelect+` WHERE t.incident_id = ? AND t.id > ? AND t.at >= ? ORDER BY t.id`, incidentID, after, sinceMs)
	if err != nil {
		return nil, errs.Wrap(err, "timeline")
	}
	defer rows.Close()
	var out []*incident.Entry
	for rows.Next() {
		var e incident.Entry
		var at int64
		var kind, data string
		if err := rows.Scan(&e.ID, &e.IncidentID, &at, &e.ActorID, &e.Actor, &kind, &e.TaskID, &e.ApprovalID, &data); err != nil {
			return nil, errs.Wrap(err, "timeline")
		}
		e.At, e.Kind = fromMs(at), incident.EntryKind(kind)
		if data != "{}" {
			if e.Data, err = decodeFlat(data); err != nil {
				return nil, errs.Wrap(err, "timeline data")
			}
		}
		out = append(out, &e)
	}
	return out, errs.Wrap(rows.Err(), "timeline")
}

// decodeFlat decodes a JSON object of strings as AddEntry writes it. The
// common case, no escapes, is sliced directly; anything else goes to
// encoding/json.
func decodeFlat(s string) (map[string]string, error) {
	slow := func() (map[string]string, error) {
		var m map[string]string
		err := json.Unmarshal([]byte(s), &m)
		return m, err
	}
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' || strings.IndexByte(s, '\\') >= 0 || !utf8.ValidString(s) {
		return slow()
	}
	for k := 0; k < len(s); k++ {
		if s[k] < 0x20 { // control characters are not allowed raw in JSON
			return slow()
		}
	}
	m := make(map[string]string, 4)
	i := 1
	str := func() (string, bool) {
		if i >= len(s) || s[i] != '"' {
			return "", false
		}
		j := strings.IndexByte(s[i+1:], '"')
		if j < 0 {
			return "", false
		}
		v := s[i+1 : i+1+j]
		i += j + 2
		return v, true
	}
	for i < len(s)-1 {
		k, ok := str()
		if !ok || i >= len(s) || s[i] != ':' {
			return slow()
		}
		i++
		v, ok := str()
		if !ok {
			return slow()
		}
		m[k] = v
		if i < len(s)-1 {
			if s[i] != ',' || i+1 >= len(s)-1 {
				return slow()
			}
			i++
		}
	}
	return m, nil
}
