package consoletest

import (
	"net/netip"
	"os"
	"testing"

	"yingji/internal/demo"
	"yingji/internal/signal"
)

// TestAlertsScreenshots writes docs/screenshots/alerts-*.png (the queue,
// with alerts of several priorities) and alert-*.png (one alert with its
// history and the acts) when YINGJI_SCREENSHOTS=1.
func TestAlertsScreenshots(t *testing.T) {
	if os.Getenv("YINGJI_SCREENSHOTS") != "1" {
		t.Skip("set YINGJI_SCREENSHOTS=1 to write docs/screenshots")
	}
	env, base := browserEnv(t)
	if err := demo.World(ctx, env.App, env.Plan); err != nil {
		t.Fatal(err)
	}
	first := landAlert(t, env, signal.Signal{Rule: "ET WEB_SERVER SQL Injection Attempt", Title: "县政府门户网站遭SQL注入攻击", Severity: signal.High,
		Domain: "www.qingshen.gov.cn", DstIP: netip.MustParseAddr("10.51.20.8"), Detail: "源地址 203.0.113.7 在5分钟内发起312次注入尝试。"})
	landAlert(t, env, signal.Signal{Rule: "ET MALWARE Win32/Emotet CnC Beacon", Title: "内网终端疑似感染木马外联", Severity: signal.High, DstIP: netip.MustParseAddr("198.51.100.23")})
	landAlert(t, env, signal.Signal{Rule: "ET SCAN Nmap Scripting Engine", Title: "端口扫描", Severity: signal.Low, DstIP: netip.MustParseAddr("10.51.20.9")})
	landAlert(t, env, signal.Signal{Rule: "http_down", Title: "县人民医院预约挂号系统无法访问", Severity: signal.Medium, Domain: "www.qsxrmyy.cn"})
	b := uiBrowser(t, base, "duty")
	screenshot(t, b, base, "alerts", "/alerts")
	screenshot(t, b, base, "alert", "/alerts/"+itoa(first))
}
