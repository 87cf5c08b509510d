package api_test

import (
	"fmt"
	"strings"
	"testing"

	"yingji/internal/testkit"
)

// An issued unit link carries its absolute address (url) on serve
// --public-url beside its path, which stays as it was; without a public
// address there is no url, since a request's Host is not to be trusted;
// the list never shows either (the token is kept as a hash only).
func TestUnitLinkURL(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	_, clients := newServer(t, env)
	u := testkit.Unit(3, "青神县人民医院")
	testkit.AddUnit(t, env, u)
	body := fmt.Sprintf(`{"unit_id":%d,"valid_days":7}`, u.ID)
	duty := clients["duty"]

	got := duty.do("POST", "/api/v1/unit-links", body, 201)
	path, _ := got["path"].(string)
	if !strings.HasPrefix(path, "/u/") || len(path) != 3+43 {
		t.Fatalf("path %q", path)
	}
	if _, ok := got["url"]; ok {
		t.Errorf("a url without a public address: %v", got["url"])
	}

	env.App.PublicURL = "https://gaj.qingshen.gov.cn/yingji"
	got = duty.do("POST", "/api/v1/unit-links", body, 201)
	path, _ = got["path"].(string)
	if !strings.HasPrefix(path, "/u/") || got["url"] != "https://gaj.qingshen.gov.cn/yingji"+path {
		t.Errorf("with a public address: path %q url %v", path, got["url"])
	}
	for _, l := range duty.do("GET", "/api/v1/unit-links", "", 200)["items"].([]any) {
		m := l.(map[string]any)
		if _, ok := m["url"]; ok || m["path"] != nil {
			t.Errorf("the list shows a link's address: %v", m)
		}
	}
}
