package consoletest

import (
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/incidents"
)

// TestInstructionFormOnPhone: at 390 px the 批示 form's addressees ran
// together — "☐ 办公室 ☐ 治安管理大队" with the next box as close to a name as
// its own — so the city deputy could not tell which box was whose. Each
// name now stands apart from the next by more than from its own box.
func TestInstructionFormOnPhone(t *testing.T) {
	env, base := browserEnv(t)
	in := activeIncident(t, env)
	b := uiBrowser(t, base, "citydeputy")
	run(t, b, "phone", phoneScreen.emulate())
	run(t, b, "incident", chromedp.Navigate(base+"/incidents/"+itoa(in.ID)), chromedp.WaitVisible(chromedp.CSS("#instructions")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#instruction-form").closest("details").open = true`))
	// For each pair of names on one line: the gap to the next box, and the
	// gap between a box and its own name.
	bad := value(t, b, chromedp.Evaluate[[]string](`(() => {
		const out = [];
		const labels = Array.from(document.querySelectorAll("#instruction-form fieldset label"));
		for (let i = 0; i + 1 < labels.length; i++) {
			const a = labels[i].getBoundingClientRect(), n = labels[i + 1].getBoundingClientRect();
			if (Math.abs(a.top - n.top) > 2) continue; // the next name starts a new line
			const box = labels[i].querySelector("input").getBoundingClientRect();
			const text = document.createRange(); text.selectNodeContents(labels[i]);
			const own = text.getClientRects()[text.getClientRects().length - 1].left - box.right;
			const between = n.left - a.right;
			if (between < 2 * Math.max(own, 4)) out.push(labels[i].textContent.trim() + " → " + labels[i + 1].textContent.trim() + ": " + Math.round(between) + " px apart, " + Math.round(own) + " px from its box");
		}
		return out;
	})()`))
	if len(bad) > 0 {
		t.Errorf("addressees run together at 390 px: %v", bad)
	}
	if w := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the incident page is %d px wide at 390 px", w)
	}
}

// TestInboxNumbersOnOneLine: on a phone the inbox broke an incident's number
// after its year (QS-2026- / 002), the half a reader looks for.
func TestInboxNumbersOnOneLine(t *testing.T) {
	env, base := browserEnv(t)
	in := newIncident(t, env)
	a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "影响恶劣，拟启动预案")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Incidents.Decide(ctx, env.Users["chief"], a.ID, incidents.Decision{Opinion: "请核实后再报"}); err != nil {
		t.Fatal(err)
	}
	b := uiBrowser(t, base, "duty")
	run(t, b, "phone", phoneScreen.emulate())
	run(t, b, "inbox", chromedp.Navigate(base+"/notices"), chromedp.WaitVisible(chromedp.CSS("main")))
	broken := value(t, b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("main li a[href^='/incidents/']"))
		.filter(a => a.getClientRects().length > 1).map(a => a.textContent)`))
	n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll("main li a[href^='/incidents/']").length`))
	if n == 0 || len(broken) > 0 {
		t.Errorf("%d numbers in the inbox; broken across lines: %v", n, broken)
	}
}
