package plan

import (
	"strings"
	"testing"
)

// TestVisibility: the optional visibility field of a plan and of a
// category (五(二) need-to-know), its default and its validation.
func TestVisibility(t *testing.T) {
	p, err := Parse("t.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if p.OpenToOrganisation(p.Categories[0].Key) {
		t.Fatal("default must be need-to-know")
	}
	open := strings.Replace(base, "org: 测试局\n", "org: 测试局\nvisibility: organisation\n", 1)
	if p, err = Parse("t.yaml", []byte(open)); err != nil || !p.OpenToOrganisation(p.Categories[0].Key) {
		t.Fatalf("plan-wide organisation: %v", err)
	}
	key := p.Categories[0].Key
	narrowed := strings.Replace(open, "  - key: "+key+"\n", "  - key: "+key+"\n    visibility: need_to_know\n", 1)
	if p, err = Parse("t.yaml", []byte(narrowed)); err != nil || p.OpenToOrganisation(key) {
		t.Fatalf("category override: %v", err)
	}
	bad := strings.Replace(base, "org: 测试局\n", "org: 测试局\nvisibility: everyone\n", 1)
	_, err = Parse("t.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), `t.yaml:5: visibility: unknown visibility "everyone"`) {
		t.Fatalf("bad value: %v", err)
	}
}
