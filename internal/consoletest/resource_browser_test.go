package consoletest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/registry"
)

// In a real browser the duty officer sends the emergency vehicle to an
// incident from its 资源 section and records its return; the register
// follows.
func TestBrowserResources(t *testing.T) {
	env, base := browserEnv(t)
	in := newIncident(t, env)
	car := &registry.Equipment{Name: "川Z-12345 应急通信车", Kind: "车辆", Status: "备用"}
	if err := env.App.Units.SaveEquipment(ctx, env.Users["duty"], 0, 0, car); err != nil {
		t.Fatal(err)
	}
	b := uiBrowser(t, base, "duty")
	run(t, b, "dispatch",
		chromedp.Navigate(base+"/incidents/"+itoa(in.ID)),
		chromedp.WaitVisible(chromedp.CSS("#resource-form")),
		chromedp.SetValue(chromedp.CSS("#res-ref"), "equipment:"+itoa(car.ID)),
		chromedp.SendKeys(chromedp.CSS("#res-note"), "赴现场固定证据"),
		chromedp.Click(chromedp.CSS(`#resource-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
		chromedp.WaitVisible(chromedp.CSS(`#resources form[action$="/return"] button`)),
	)
	txt := value(t, b, chromedp.Text(chromedp.CSS("#resources")))
	for _, want := range []string{"川Z-12345 应急通信车", "调派中", "赴现场固定证据"} {
		if !strings.Contains(txt, want) {
			t.Fatalf("资源 lacks %q:\n%s", want, txt)
		}
	}
	if got, _ := env.App.Units.GetEquipment(ctx, env.Users["duty"], car.ID); got.Status != "在用" {
		t.Fatalf("register %q after dispatch", got.Status)
	}
	run(t, b, "return",
		chromedp.Click(chromedp.CSS(`#resources form[action$="/return"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
		chromedp.WaitNotPresent(chromedp.CSS(`#resources form[action$="/return"]`)),
	)
	if txt := value(t, b, chromedp.Text(chromedp.CSS("#resources"))); !strings.Contains(txt, "已归还") {
		t.Fatalf("资源 after return:\n%s", txt)
	}
	if got, _ := env.App.Units.GetEquipment(ctx, env.Users["duty"], car.ID); got.Status != "备用" {
		t.Fatalf("register %q after return", got.Status)
	}
}
