package httpx

import (
	"net/http"
	"strconv"
	"strings"

	"yingji/internal/errs"
	"yingji/internal/registry"
)

// RegistryFilter reads a registry list's query: q, kind, key_site, unit, org, after and limit.
func RegistryFilter(r *http.Request) (registry.Filter, int64, error) {
	v := r.URL.Query()
	f := registry.Filter{Q: strings.TrimSpace(v.Get("q")), Kind: v.Get("kind"), KeySite: v.Get("key_site") == "true" || v.Get("key_site") == "1",
		Prefix: v.Get("match") == "prefix"}
	if m := v.Get("match"); m != "" && m != "prefix" && m != "contains" {
		return f, 0, errs.Field("match", "registry.bad_match", m)
	}
	if len([]rune(f.Q)) > 100 {
		return f, 0, errs.Field("q", "error.too_long", 100)
	}
	var org int64
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"org", &org}, {"unit", &f.UnitID}, {"after", &f.After}} {
		if s := v.Get(p.name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				return f, 0, errs.Field(p.name, "error.bad_id", s)
			}
			*p.dst = n
		}
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return f, 0, errs.Field("limit", "error.limit_range", 1000)
		}
		f.Limit = n
	}
	return f, org, nil
}
