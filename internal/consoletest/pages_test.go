package consoletest

import (
	"testing"

	"yingji/internal/testkit"
)

func TestPagesRender(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		in := activeIncident(t, env)
		duty := loggedIn(t, base, "duty")
		for _, p := range []struct{ path, want string }{
			{"/", "指挥台"}, {"/incidents", "事件列表"}, {"/incidents/new", "登记事件"},
			{"/incidents/" + itoa(in.ID), in.Number}, {"/approvals", "待我审批"}, {"/plan", "事件类别与处置流程"}, {"/password", "修改密码"},
		} {
			duty.read(p.path, p.want, `lang="zh-CN"`)
		}
	})
}
