package consoletest

import (
	"net/http"
	"regexp"
	"testing"

	"yingji/internal/testkit"
)

// keyRe matches a message key left untranslated on a page (i18n.T renders
// an unknown key as itself).
var keyRe = regexp.MustCompile(`\b(?:nav|login|logout|password|error|color|dash|countdown|col|list|field|new|inc|task|done|confirm|appr|plan|admin|adm|dur|status|level|approval|deadline|state|timeline)\.[a-z_]+[a-z]\b`)

// TestNoMissingMessages renders every page in both languages, as each kind
// of user, and looks for message keys that the catalogue lacks.
func TestNoMissingMessages(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	main, _ := seedScene(t, env)
	base := newServer(t, env)
	for _, lang := range []string{"zh-CN", "en"} {
		for _, who := range []string{"duty", "citydeputy", "admin", "secadmin", "xingjing"} {
			b := loggedIn(t, base, who)
			b.get("/lang?to=" + lang)
			v, _ := env.App.Incidents.GetIncident(ctx, env.Users["duty"], main.ID)
			for _, path := range []string{"/", "/incidents", "/incidents/new", "/incidents/" + itoa(main.ID),
				"/incidents/" + itoa(main.ID) + "/tasks/" + itoa(v.Tasks[0].ID), "/approvals", "/plan", "/admin", "/password", "/nowhere"} {
				r := b.get(path)
				if r.Status >= 500 {
					t.Fatalf("%s %s %s: %d", lang, who, path, r.Status)
				}
				if path == "/nowhere" && (r.Status != http.StatusNotFound || !containsAny(r.Body, "页面不存在", "No such page")) {
					t.Errorf("%s: unknown page gives %d", lang, r.Status)
				}
				if m := keyRe.FindString(r.Body); m != "" {
					t.Errorf("%s %s %s: untranslated %q", lang, who, path, m)
				}
			}
		}
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if contains(s, sub) {
			return true
		}
	}
	return false
}
