package audit

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAnchor(t *testing.T) {
	h := strings.Repeat("ab", 32)
	good, err := ParseAnchor(" 21:" + h + " ")
	if err != nil || good.Seq != 21 || good.Hash != h || good.String() != "21:"+h {
		t.Fatalf("%+v %v", good, err)
	}
	for _, bad := range []string{"", "21", "x:" + h, "0:" + h, "21:abc", "21:" + strings.ToUpper(h)} {
		if _, err := ParseAnchor(bad); err == nil {
			t.Errorf("ParseAnchor(%q) accepted", bad)
		}
	}
}

func TestCheckAnchors(t *testing.T) {
	r := &Record{Seq: 3, Hash: strings.Repeat("a", 64)}
	ok := []Anchor{{3, strings.Repeat("a", 64)}, {9, strings.Repeat("b", 64)}}
	if err := CheckAnchors(r, ok); err != nil {
		t.Fatal(err)
	}
	var be *BreakError
	if err := CheckAnchors(r, []Anchor{{3, strings.Repeat("c", 64)}}); !errors.As(err, &be) || be.Reason != ReasonAnchor || be.Seq != 3 {
		t.Fatalf("%v", err)
	}
	if err := MissingAnchor(ok, 5); !errors.As(err, &be) || be.Seq != 9 {
		t.Fatalf("%v", err)
	}
	if MissingAnchor(ok, 9) != nil {
		t.Fatal("anchor at the head is present")
	}
}
