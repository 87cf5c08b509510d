package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yingji/internal/registry"
)

func TestRegistryImportCLI(t *testing.T) {
	data := demoData(t)
	dir := t.TempDir()
	good := "序号,单位名称,单位类型,统一社会信用代码,联系电话\n1,甲公司,企业," + registry.CreditCodeFor(1) + ",028-38800001\n"
	bad := good + "2,乙公司,企业," + registry.CreditCodeFor(1) + ",\n3,丙公司,工厂," + registry.CreditCodeFor(3) + ",\n"
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(bad), 0o644)
	os.WriteFile(filepath.Join(dir, "good.csv"), []byte(good), 0o644)
	os.WriteFile(filepath.Join(dir, "cols.csv"), []byte("单位名称,传真\n"), 0o644)

	out, code := run(t, nil, "registry", "import", "units", filepath.Join(dir, "bad.csv"), "--system", "--data", data)
	if code != 1 || !strings.Contains(out, "第3行") || !strings.Contains(out, "[统一社会信用代码]") || !strings.Contains(out, "[单位类型]") ||
		!strings.Contains(out, "未导入任何数据") {
		t.Fatalf("bad file: %d\n%s", code, out)
	}
	out, code = run(t, nil, "registry", "import", "units", filepath.Join(dir, "cols.csv"), "--system", "--data", data)
	if code != 1 || !strings.Contains(out, "统一社会信用代码") {
		t.Fatalf("wrong columns: %d\n%s", code, out)
	}
	out, code = run(t, nil, "registry", "import", "units", filepath.Join(dir, "good.csv"), "--dry-run", "--system", "--data", data)
	if code != 0 || !strings.Contains(out, "新增") || !strings.Contains(out, "未写入") {
		t.Fatalf("dry run: %d\n%s", code, out)
	}
	xlsx := filepath.Join(dir, "out.xlsx")
	if out, code = run(t, nil, "registry", "export", "units", xlsx, "--system", "--data", data); code != 0 || !strings.Contains(out, "联网单位 0 个") {
		t.Fatalf("export after dry run: %d\n%s", code, out)
	}
	if out, code = run(t, nil, "registry", "import", "units", filepath.Join(dir, "good.csv"), "--system", "--data", data); code != 0 || !strings.Contains(out, "已导入：新增 1") {
		t.Fatalf("import: %d\n%s", code, out)
	}
	if out, code = run(t, nil, "registry", "export", "units", xlsx, "--system", "--data", data); code != 0 || !strings.Contains(out, "联网单位 1 个") {
		t.Fatalf("export: %d\n%s", code, out)
	}
	if out, code = run(t, nil, "registry", "import", "units", xlsx, "--system", "--data", data); code != 0 || !strings.Contains(out, "无变化 1") {
		t.Fatalf("re-import: %d\n%s", code, out)
	}
	experts := filepath.Join(dir, "experts.csv")
	os.WriteFile(experts, []byte("姓名,专业领域,联系电话\n赵六,数字取证,13900000001\n"), 0o644)
	if out, code = run(t, nil, "registry", "import", "experts", experts, "--system", "--data", data); code != 0 || !strings.Contains(out, "新增 1") {
		t.Fatalf("import experts: %d\n%s", code, out)
	}
	if out, code = run(t, nil, "registry", "export", "experts", filepath.Join(dir, "e.xlsx"), "--system", "--data", data); code != 0 || !strings.Contains(out, "专家 1 人") {
		t.Fatalf("export experts: %d\n%s", code, out)
	}
	// Nobody on duty in the demo world: exit 3 and say so.
	if out, code = run(t, nil, "duty", "now", "--data", data); code != 3 || !strings.Contains(out, "当前无人值班") {
		t.Fatalf("duty now: %d\n%s", code, out)
	}
	if out, code = run(t, nil, "duty", "schedule", "--days", "2", "--data", data); code != 3 || !strings.Contains(out, "无人值班（空档）") {
		t.Fatalf("duty schedule: %d\n%s", code, out)
	}
}
