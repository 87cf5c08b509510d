package api

import (
	"net/http"
	"strconv"

	"yingji/internal/errs"
)

func queryOrg(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("org")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.Field("org", "error.bad_id", v)
	}
	return n, nil
}
