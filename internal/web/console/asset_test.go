package console

import (
	"strings"
	"testing"
)

// The stylesheet's address changes with its content, so an upgrade is not
// hidden for an hour behind the browser's cached copy.
func TestAssetURL(t *testing.T) {
	css := assetURL("app.css")
	if !strings.HasPrefix(css, "/static/app.css?v=") || len(css) != len("/static/app.css?v=")+10 {
		t.Fatal(css)
	}
	if css != assetURL("app.css") || assetURL("app.js") == strings.Replace(css, "app.css", "app.js", 1) {
		t.Fatal("not stable, or not per file")
	}
	if got := assetURL("missing.css"); got != "/static/missing.css" {
		t.Fatal(got)
	}
}
