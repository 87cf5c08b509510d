package testkit

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/channel"
	"yingji/internal/channel/chantest"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/registry"
	"yingji/internal/report"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/user"
	"yingji/internal/warning"
)

// The helpers below are shared by the use-case packages' tests, which each
// had a copy of them.

// NewIncident registers a level-3 incident of category as the duty officer.
func NewIncident(t testing.TB, env *Env, category string) *incident.Incident {
	t.Helper()
	in, err := env.App.Incidents.CreateIncident(context.Background(), env.Users["duty"], incidents.NewIncident{
		Title: "县政府门户网站遭受DDoS攻击", Category: category, Level: 3,
		DiscoveredAt: env.Clock.Now().Add(-10 * time.Minute), DiscoveryMethod: "网站监测告警", Description: "访问中断约20分钟",
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return in
}

// Activate asks for activation of in as the duty officer and has whoever
// the plan names for its category (the county's 组长 or the city's 分管领导)
// approve it.
func Activate(t testing.TB, env *Env, in *incident.Incident) {
	t.Helper()
	ctx := context.Background()
	a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "重要会议期间门户网站遭攻击")
	if err != nil {
		t.Fatal(err)
	}
	// The category is read afresh: a correction may have changed it.
	v, err := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
	if err != nil {
		t.Fatal(err)
	}
	decider := env.Users["citydeputy"]
	if env.Plan.ActivationRule(v.Incident.Category).ByOwnOrganisation() {
		decider = env.Users["chief"]
	}
	if _, err := env.App.Incidents.Decide(ctx, decider, a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
		t.Fatal(err)
	}
}

// View is the duty officer's view of incident id (its tasks, what he may
// do).
func View(t testing.TB, env *Env, id int64) *incidents.View {
	t.Helper()
	v, err := env.App.Incidents.GetIncident(context.Background(), env.Users["duty"], id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Officer adds a county user with no role in department dept.
func Officer(t testing.TB, env *Env, username, dept string) *user.User {
	t.Helper()
	u, err := env.App.Accounts.CreateUser(context.Background(), user.System(), accounts.NewUser{Org: "青神县公安局", Department: dept, Username: username,
		DisplayName: username, Password: Password})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// WantCode fails unless err carries code.
func WantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got nil", code)
	}
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("want %s error, got %s: %v", code, got, err)
	}
}

// WantKey fails unless err carries code and the message key key.
func WantKey(t testing.TB, err error, code errs.Code, key string) {
	t.Helper()
	WantCode(t, err, code)
	if e := errs.As(err); e == nil || e.Key != key {
		t.Fatalf("error %v, want key %s", err, key)
	}
}

// WantField fails unless err is invalid input naming field.
func WantField(t testing.TB, err error, field string) {
	t.Helper()
	e := errs.As(err)
	if err == nil || e.Code != errs.Invalid || e.Field != field {
		t.Fatalf("want invalid %s, got %v", field, err)
	}
}

// AuditCount verifies the chain and returns how many records it holds.
func AuditCount(t testing.TB, env *Env) int64 {
	t.Helper()
	res, err := env.App.AuditLog.VerifyAudit(context.Background())
	if err != nil || res.Err != nil {
		t.Fatalf("verify: %v %v", err, res.Err)
	}
	return res.Records
}

// Unit is a valid registered unit numbered n.
func Unit(n int, name string) *registry.Unit {
	return &registry.Unit{Name: name, Kind: "企业", CreditCode: registry.CreditCodeFor(n), ContactName: "李四", ContactPhone: "028-38800001", ContactEmail: "sec@example.cn"}
}

// AddUnit registers u (its ID is set) as the county's duty officer does.
func AddUnit(t testing.TB, env *Env, u *registry.Unit) {
	t.Helper()
	if err := env.App.Units.CreateUnit(context.Background(), env.Users["duty"], 0, u); err != nil {
		t.Fatal(err)
	}
}

// UnitWebsite registers u and then w as its website, as the county's duty
// officer does (w.UnitID is set to u's new id): the registered site that
// monitors, alerts and captures start from.
func UnitWebsite(t testing.TB, env *Env, u *registry.Unit, w *registry.Website) {
	t.Helper()
	AddUnit(t, env, u)
	w.UnitID = u.ID
	if err := env.App.Units.SaveWebsite(context.Background(), env.Users["duty"], 0, w); err != nil {
		t.Fatal(err)
	}
}

// LandAlert stores s as the county's alert, as the intake would
// (Tx.UpsertAlert; a Suricata alert, firing, unless s says otherwise), and
// returns its id. The alert handler has not seen it yet.
func LandAlert(t testing.TB, env *Env, s signal.Signal) int64 {
	t.Helper()
	if s.Status == "" {
		s.Status = signal.Firing
	}
	if s.Format == "" {
		s.Format = signal.FormatSuricata
	}
	var id int64
	err := env.DB.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		id, _, err = tx.UpsertAlert(env.Users["duty"].OrgID, 0, &s)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// ReleaseWarning has the county's 组长 approve the warning message id and
// the duty officer release it, and returns the released message.
func ReleaseWarning(t testing.TB, env *Env, id int64) *warning.Message {
	t.Helper()
	if _, err := env.App.Warnings.Approve(context.Background(), env.Users["chief"], id, ""); err != nil {
		t.Fatal(err)
	}
	m, err := env.App.Warnings.Release(context.Background(), env.Users["duty"], id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// OfKind keeps the deadlines of one kind.
func OfKind(ds []report.Deadline, kind string) []report.Deadline {
	var out []report.Deadline
	for _, d := range ds {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}

// UnitsHead is the header row of the units ledger in CSV.
const UnitsHead = "序号,单位名称,单位类型,统一社会信用代码,所属区域,单位地址,负责人,负责人电话,网络安全联系人,联系电话,电子邮箱,备注\n"

// CSVTable reads a units ledger given as CSV text.
func CSVTable(t testing.TB, s string) *registry.Table {
	t.Helper()
	tab, err := registry.ReadCSV(strings.NewReader(s), registry.UnitSheet, registry.UnitColumns)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// ConsoleLogin posts the console's login form with a valid double-submit
// token and returns the answer unfollowed (its cookies carry the session).
func ConsoleLogin(t testing.TB, base, username, password string) *http.Response {
	t.Helper()
	const token = "0123456789abcdef0123456789abcdef"
	form := url.Values{"username": {username}, "password": {password}, "csrf": {token}}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "yingji_login_csrf", Value: token})
	res, err := NoFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// NoFollow is an HTTP client that returns redirects instead of following
// them, so that a test sees where the console sends the browser.
var NoFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// OtherCounty adds 东坡区公安分局, a county beside the seeded one under the
// same city, with its duty officer dpduty, and returns him: someone with no
// part in the seeded county's incidents.
func OtherCounty(t testing.TB, env *Env) *user.User {
	t.Helper()
	err := env.DB.Write(context.Background(), func(tx *store.Tx) error {
		city, _ := tx.OrgByName("眉山市公安局")
		return tx.CreateOrg(&user.Org{Name: "东坡区公安分局", Code: "DP", ParentID: city.ID, PlanKey: env.Plan.Key})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Accounts.CreateUser(context.Background(), user.System(), accounts.NewUser{Org: "东坡区公安分局", Username: "dpduty", DisplayName: "东坡值班员",
		Roles: []string{"duty_officer"}, Password: Password}); err != nil {
		t.Fatal(err)
	}
	return AddUser(t, env, "dpduty")
}

// DocxText is word/document.xml of a DOCX file: the text a test looks for.
func DocxText(t testing.TB, docx []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			defer rc.Close()
			x, _ := io.ReadAll(rc)
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// Lines reads a stream (an event stream's body) line by line into a
// channel, closed when the stream ends.
func Lines(r io.Reader) chan string {
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return lines
}

// AwaitLine reads lines until want, for at most d.
func AwaitLine(t testing.TB, lines <-chan string, want string, d time.Duration) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("stream ended before %q", want)
			}
			if l == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %q within %s", want, d)
		}
	}
}

// RollCallLink finds the signed roll-call link in a paging message; its
// first group is the token.
var RollCallLink = regexp.MustCompile(`/r/([0-9a-z]+\.[A-Za-z0-9_-]{16})`)

// LeaderPhones are the mobile numbers SMSPaging gives, by username.
var LeaderPhones = map[string]string{"xingjing": "13800000011", "deputy": "13800000012", "chief": "13800000013"}

// SMSPaging starts an SMS gateway (token "gw", closed when the test ends)
// and the channel set that reaches it with signed links (chantest.LinkKey),
// and gives the leaders the roll-call pages (刑警 xingjing, deputy, chief)
// their mobile numbers (LeaderPhones).
func SMSPaging(t testing.TB, env *Env) (*chantest.Receiver, *channel.Set) {
	t.Helper()
	gw := chantest.SMSGateway("gw")
	t.Cleanup(gw.Close)
	if err := env.DB.Write(context.Background(), func(tx *store.Tx) error {
		for u, p := range LeaderPhones {
			if err := tx.SetContacts(env.Users[u].ID, p, ""); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return gw, chantest.SMSSet(gw, "gw", chantest.LinkKey)
}
