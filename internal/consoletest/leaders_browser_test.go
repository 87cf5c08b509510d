package consoletest

import (
	"testing"

	"github.com/chromedp/chromedp"
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
