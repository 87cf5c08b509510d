package timeline

import (
	"encoding/json"
	"flag"
	"os"
	"testing"

	"yingji/internal/i18n"
	"yingji/internal/incident"
)

var update = flag.Bool("update", false, "rewrite internal/event/testdata/text.golden from EntryText")

// goldenCase is one rendered entry of internal/event/testdata: the kind and
// data of cases.json with the sentence in both languages.
type goldenCase struct {
	Kind incident.EntryKind `json:"kind"`
	Data map[string]string  `json:"data"`
	ZH   string             `json:"zh,omitempty"`
	EN   string             `json:"en,omitempty"`
}

// TestEntryTextGolden: every timeline kind renders the sentence of the
// golden file, which was written by the renderer before the typed events
// (internal/event) took it over, so the move changed no sentence.
func TestEntryTextGolden(t *testing.T) {
	var cases []goldenCase
	b, err := os.ReadFile("../../event/testdata/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for i := range cases {
		c := &cases[i]
		e := &incident.Entry{Kind: c.Kind, Data: c.Data}
		c.ZH, c.EN = EntryText(i18n.ZH, e), EntryText(i18n.EN, e)
	}
	const golden = "../../event/testdata/text.golden"
	if *update {
		out, _ := json.MarshalIndent(cases, "", " ")
		if err := os.WriteFile(golden, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var want []goldenCase
	b, err = os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(cases) {
		t.Fatalf("%d cases, golden has %d", len(cases), len(want))
	}
	for i, c := range cases {
		if c.ZH != want[i].ZH || c.EN != want[i].EN {
			t.Errorf("case %d (%s):\n got %q / %q\nwant %q / %q", i, c.Kind, c.ZH, c.EN, want[i].ZH, want[i].EN)
		}
	}
}
