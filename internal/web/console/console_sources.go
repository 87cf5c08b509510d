package console

import (
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/ingest"
	"yingji/internal/signal"
)

// Intake sources in the console (issue 12, docs/intake.md): the
// organisation's duty managers list, add and revoke the devices that send
// signals. A new key is shown on the page that answers the POST, never
// after a redirect nor in a URL, and the page is not cached (no-store, as
// every console page): only the key's hash is kept, so a reload or going
// back cannot show it again.

const sourcesURL = "/intake/sources"

type sourceRow struct {
	*ingest.Source
	Creator string
}

type sourceFormat struct {
	Key, Name, Hint string
}

// sourceExample is one ready-to-paste snippet on the new key's page.
type sourceExample struct {
	Title, Text string
}

// newSource is what the answer to an add shows, this once.
type newSource struct {
	Src      *ingest.Source
	Key, URL string
	Examples []sourceExample
}

func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request, c *req) error {
	return s.renderSources(w, r, c, http.StatusOK, nil, nil)
}

// renderSources shows the list and the add form; created is the source
// just added (its key shown once), ferr a refused add (the form kept, the
// field named).
func (s *Server) renderSources(w http.ResponseWriter, r *http.Request, c *req, st int, created *newSource, ferr error) error {
	list, err := s.App.Intake.Sources(r.Context(), c.u, c.u.OrgID)
	if err != nil {
		return err
	}
	// Only the people who added the sources listed, not every account.
	creators := make([]int64, 0, len(list))
	for _, src := range list {
		creators = append(creators, src.CreatedBy)
	}
	names, err := s.App.Accounts.UserNames(r.Context(), creators)
	if err != nil {
		return err
	}
	rows := make([]sourceRow, 0, len(list))
	for _, src := range list {
		rows = append(rows, sourceRow{Source: src, Creator: names[src.CreatedBy]})
	}
	formats := make([]sourceFormat, 0, len(ingest.Formats))
	for _, f := range ingest.Formats {
		formats = append(formats, sourceFormat{Key: f, Name: i18n.T(c.l, "src.fmt."+f), Hint: i18n.T(c.l, "src.fmt_hint."+f)})
	}
	data := map[string]any{"Rows": rows, "Formats": formats, "New": created, "Format": signal.FormatAlertmanager}
	if ferr != nil {
		data["Error"], data["Field"] = sourceErrText(c.l, ferr), errs.As(ferr).Field
		data["Name"], data["Format"] = r.PostFormValue("name"), r.PostFormValue("format")
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "src.title"), "alerts")
	p.Data = data
	s.render(w, st, "sources", p)
	return nil
}

// sourceErrText is a refused add's message, led by the label of the field
// it names as the form shows it: once, so not errText's label as well (the
// roster's forms label "name" too).
func sourceErrText(l i18n.Lang, err error) string {
	switch e := errs.As(err); e.Field {
	case "name", "format":
		return i18n.T(l, "error.field_in", i18n.T(l, "src."+e.Field), i18n.T(l, e.Key, e.Args...))
	}
	return errText(l, err)
}

func (s *Server) sourceCreate(w http.ResponseWriter, r *http.Request, c *req) error {
	name := strings.TrimSpace(r.PostFormValue("name"))
	src, key, err := s.App.Intake.CreateSource(r.Context(), c.u, c.u.OrgID, name, r.PostFormValue("format"))
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid:
			return s.renderSources(w, r, c, http.StatusUnprocessableEntity, nil, err)
		case errs.Conflict:
			return s.renderSources(w, r, c, http.StatusConflict, nil, err)
		}
		return err
	}
	u := s.absURL(r, "/api/v1/intake/"+src.Format)
	created := &newSource{Src: src, Key: key, URL: u, Examples: sourceExamples(c.l, s.hostName(r), src, key, u, s.App.Core.Now().In(s.loc()))}
	return s.renderSources(w, r, c, http.StatusCreated, created, nil)
}

func (s *Server) sourceRevoke(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	// The use case answers 404 to anyone who may not manage the source; a
	// person who manages no sources at all is told so, as on the page.
	if !access.MayManageDuty(c.u) {
		return errs.New(errs.Forbidden, "intake.managers_only")
	}
	src, err := s.App.Intake.RevokeSource(r.Context(), c.u, id)
	if err != nil {
		return done(w, r, c, sourcesURL, err, "")
	}
	return done(w, r, c, sourcesURL, nil, i18n.T(c.l, "src.revoked", src.Name))
}

// hostName is the server's name for the syslog example: the public
// address's host when serve --public-url is set, else the request's host,
// both without a port.
func (s *Server) hostName(r *http.Request) string {
	if pu, err := url.Parse(s.App.PublicURL); err == nil && s.App.PublicURL != "" {
		return pu.Hostname()
	}
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		return h
	}
	return r.Host
}

// sourceExamples are the snippets a device's administrator pastes: the
// sender's configuration and a test he can run at once; host is the
// server's name, u the address to post to.
//
// The test messages carry now, when the page is made: a fixed date would
// be more than 30 days old, so the pipeline would put its own time in and
// the first test alert would read （设备时间：…）, as for a device whose
// clock is wrong.
func sourceExamples(l i18n.Lang, host string, src *ingest.Source, key, u string, now time.Time) []sourceExample {
	auth := "-H 'Authorization: Bearer " + key + "'"
	switch src.Format {
	case signal.FormatAlertmanager:
		return []sourceExample{
			{i18n.T(l, "src.ex.am_config"), "receivers:\n  - name: yingji\n    webhook_configs:\n      - url: " + u +
				"\n        send_resolved: true\n        max_alerts: 1000\n        http_config:\n          authorization:\n            type: Bearer\n            credentials: " + key + "\n"},
			{i18n.T(l, "src.ex.test"), "curl -s -X POST " + u + " " + auth + " -H 'Content-Type: application/json' -d '" +
				`{"version":"4","groupKey":"{}:{alertname=\"YingjiTest\"}","status":"firing","receiver":"yingji","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",` +
				`"alerts":[{"status":"firing","labels":{"alertname":"YingjiTest","severity":"info"},"annotations":{"summary":"` + i18n.T(l, "src.ex.test_title") + `"},` +
				`"startsAt":"` + now.UTC().Format(time.RFC3339) + `","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"0000000000000001"}]}'`},
		}
	case signal.FormatSuricata:
		return []sourceExample{{i18n.T(l, "src.ex.suricata"), "tail -n 1000 /var/log/suricata/eve.json | curl -s -X POST " + u + " " + auth + " --data-binary @-"}}
	case signal.FormatJSON:
		return []sourceExample{{i18n.T(l, "src.ex.test"), "curl -s -X POST " + u + " " + auth + " -H 'Content-Type: application/json' -d '" +
			`{"title":"` + i18n.T(l, "src.ex.test_title") + `","rule":"yingji.test","severity":"info"}'`}}
	case signal.FormatSyslog:
		id := strconv.FormatInt(src.ID, 10)
		return []sourceExample{
			{i18n.T(l, "src.ex.serve"), "yingji serve … --syslog-source " + id + " --syslog-tcp 0.0.0.0:6514 --syslog-udp 0.0.0.0:5514"},
			{i18n.T(l, "src.ex.logger"), "logger --server " + host + " --port 6514 --tcp --octet-count --rfc5424 -t fw01 -p local0.warning '" + i18n.T(l, "src.ex.test_title") + "'"},
			{i18n.T(l, "src.ex.syslog_http"), "echo '<134>1 " + now.Format(time.RFC3339) + " fw01 firewall - - - " + i18n.T(l, "src.ex.test_title") + "' | curl -s -X POST " + u + " " + auth + " --data-binary @-"},
		}
	}
	return nil
}
