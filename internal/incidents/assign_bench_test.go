package incidents_test

import (
	"testing"

	"yingji/internal/testkit"
)

// BenchmarkMayRegisterCity is the read the console's navigation makes for a
// user without a command role (the city deputy) on every page.
func BenchmarkMayRegisterCity(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	city := env.Users["citydeputy"]
	for b.Loop() {
		if !env.App.Incidents.MayRegister(ctx, city) {
			b.Fatal("the city deputy may assign")
		}
	}
}
