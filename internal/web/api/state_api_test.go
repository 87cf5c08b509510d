package api_test

import (
	"context"
	"testing"

	"yingji/internal/testkit"
)

// GET /api/v1/audit/verify names a row edited behind yingji's back, with
// the audit record that last covered it; audit records list their state.
func TestAPIVerifyNamesEditedRow(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		in := c["duty"].newIncident(env, 2)
		if v := c["duty"].do("GET", "/api/v1/audit/verify", "", 200); v["ok"] != true || v["rows_checked"].(float64) < 2 {
			t.Fatalf("before: %v", v)
		}
		recs := c["auditor"].do("GET", "/api/v1/audit/records?limit=1000", "", 200)["items"].([]any)
		last := recs[len(recs)-1].(map[string]any)
		if last["v"].(float64) != 2 || last["state"] == "" {
			t.Fatalf("last record %v", last)
		}
		if err := env.DB.Raw(context.Background(), `UPDATE incidents SET level = 1, title = '已篡改' WHERE id = `+id(in["id"])); err != nil {
			t.Fatal(err)
		}
		v := c["duty"].do("GET", "/api/v1/audit/verify", "", 200)
		rows, _ := v["rows"].([]any)
		if v["ok"] != false || len(rows) != 1 || v["rows_differing"].(float64) != 1 {
			t.Fatalf("after: %v", v)
		}
		r := rows[0].(map[string]any)
		if r["table"] != "incidents" || id(r["id"]) != id(in["id"]) || r["reason"] != "changed" || id(r["seq"]) != id(last["seq"]) {
			t.Fatalf("row %v (last record %v)", r, last["seq"])
		}
	})
}
