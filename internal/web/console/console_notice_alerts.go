package console

import (
	"encoding/json"

	"yingji/internal/alerts"
	"yingji/internal/i18n"
	"yingji/internal/notices"
)

// pagedAlert is what an alert page (alerts.NoticePaged) says in the inbox:
// without it five pages read as five identical 告警通知 lines, none leading
// to its alert.
type pagedAlert struct {
	ID       int64  `json:"alert_id"`
	Title    string `json:"title"`
	Priority int    `json:"priority"`
}

// pagedAlerts reads the alert of each alert page in the inbox from the
// notice's body (the arguments the handler stored), by notice id. Pointers:
// the template's "with" takes any struct as true, so a value map named every
// other notice "P0" with a link to /alerts/0.
func pagedAlerts(items []*notices.InboxNotice) map[int64]*pagedAlert {
	out := map[int64]*pagedAlert{}
	for _, n := range items {
		var p pagedAlert
		if n.Kind != alerts.NoticePaged || json.Unmarshal([]byte(n.Body), &p) != nil || p.ID == 0 {
			continue
		}
		out[n.ID] = &p
	}
	return out
}

// inboxLine is what the inbox says of a notice besides its time: the key of
// its kind's words (with the decision, notices.Detail), the opinion given,
// and where it leads (notices.Path: the report to sign, the warning to
// approve ...).
type inboxLine struct {
	Kind, Opinion, Path string
}

func inboxLines(items []*notices.InboxNotice) map[int64]inboxLine {
	out := make(map[int64]inboxLine, len(items))
	for _, n := range items {
		l := inboxLine{Kind: "nc.kind." + n.Kind, Path: notices.Path(n.Kind, n.Body, n.IncidentID)}
		d, opinion := notices.Detail(n.Kind, n.Body)
		if d != "" && i18n.Has(l.Kind+"."+d) {
			l.Kind += "." + d
		}
		l.Opinion = opinion
		out[n.ID] = l
	}
	return out
}
