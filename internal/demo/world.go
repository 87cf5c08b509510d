package demo

import (
	"context"
	"slices"
	"time"

	"yingji/internal/app"
	"yingji/internal/errs"
	"yingji/internal/plan"
	"yingji/internal/registry"
	"yingji/internal/rota"
	"yingji/internal/user"
)

// RosterDays is how many days of duty World arranges.
const RosterDays = 14

// World makes the demo world look lived in, idempotently: a 24-hour
// rotation in 青神县公安局 for the next RosterDays days from today 08:00 in
// the plan's zone (duty leader alternating chief and deputy, officer duty),
// and a handful of base database entries. It runs after Ensure, from
// `yingji serve --demo` only: `yingji demo` and the tests' world keep an
// empty roster and base database, which their tests rely on.
func World(ctx context.Context, a *app.App, p *plan.Plan) error {
	var county int64
	people := map[string]int64{}
	var haveShifts bool
	loc := p.Location
	t := a.Core.Now().In(loc)
	first := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	var units []*registry.Unit
	var experts []*registry.Expert
	var equipment []*registry.Equipment
	// What exists is read through the use cases, as the system actor.
	sys := user.System()
	county, err := a.Units.OrgIDByName(ctx, County)
	if err != nil {
		return err
	}
	users, err := a.Accounts.ListUsers(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if slices.Contains([]string{"chief", "deputy", "duty"}, u.Username) {
			people[u.Username] = u.ID
		}
	}
	if len(people) != 3 {
		return errs.New(errs.NotFound, "error.unknown_user", "chief/deputy/duty")
	}
	sc, err := a.Rota.DutySchedule(ctx, sys, county, first.Add(8*time.Hour), first.AddDate(0, 0, RosterDays).Add(8*time.Hour))
	if err != nil {
		return err
	}
	haveShifts = len(sc.Shifts) > 0
	f := registry.Filter{Limit: 1000}
	if units, err = a.Units.ListUnits(ctx, sys, f, county); err != nil {
		return err
	}
	if experts, err = a.Units.ListExperts(ctx, sys, f, county); err != nil {
		return err
	}
	if equipment, err = a.Units.ListEquipment(ctx, sys, f, county); err != nil {
		return err
	}
	if !haveShifts {
		if _, err := a.Rota.CreateRotation(ctx, user.System(), loc, rota.RotationInput{Org: county, Kind: "24h", First: first, Days: RosterDays,
			DayStart: 8 * time.Hour, Leaders: []int64{people["chief"], people["deputy"]}, Officers: []int64{people["duty"]}}); err != nil {
			return err
		}
	}
	// What exists is kept as it is, edits included: a unit is found by its
	// credit code (the key the database holds unique; it was found by name,
	// so a renamed unit was created again and the restart failed on the
	// code), and its websites and contacts are added only with the unit.
	// Experts are found by name or phone, equipment by name or place.
	for _, d := range demoUnits {
		if slices.ContainsFunc(units, func(u *registry.Unit) bool { return u.CreditCode == d.unit.CreditCode }) {
			continue
		}
		u := *d.unit
		if err := a.Units.CreateUnit(ctx, user.System(), county, &u); err != nil {
			return err
		}
		for _, w := range d.sites {
			w := *w
			w.UnitID = u.ID
			if err := a.Units.SaveWebsite(ctx, user.System(), 0, &w); err != nil && errs.CodeOf(err) != errs.Conflict && errs.As(err).Key != "registry.duplicate_domain" {
				return err
			}
		}
		for _, c := range d.contacts {
			c := *c
			c.UnitID = u.ID
			if err := a.Units.SaveContact(ctx, user.System(), county, 0, &c); err != nil {
				return err
			}
		}
	}
	for _, e := range demoExperts {
		if !slices.ContainsFunc(experts, func(x *registry.Expert) bool { return x.Name == e.Name || x.Phone == e.Phone }) {
			e := *e
			if err := a.Units.SaveExpert(ctx, user.System(), county, 0, &e); err != nil {
				return err
			}
		}
	}
	for _, e := range demoEquipment {
		if !slices.ContainsFunc(equipment, func(x *registry.Equipment) bool {
			return x.Name == e.Name || x.Kind == e.Kind && x.Location == e.Location
		}) {
			e := *e
			if err := a.Units.SaveEquipment(ctx, user.System(), county, 0, &e); err != nil {
				return err
			}
		}
	}
	return nil
}

type demoUnit struct {
	unit     *registry.Unit
	sites    []*registry.Website
	contacts []*registry.Contact
}

var demoUnits = []demoUnit{
	{&registry.Unit{Name: "青神县人民政府", Kind: "党政机关", CreditCode: "11511425MB1234567N", Region: "青城镇", Address: "青神县青城镇青竹街1号",
		Responsible: "县政府办公室主任", ResponsiblePhone: "028-38821001", ContactName: "刘明", ContactPhone: "13990300001", ContactEmail: "xxzx@qingshen.gov.cn"},
		[]*registry.Website{{Name: "青神县人民政府门户网站", Domain: "www.qingshen.gov.cn", URL: "https://www.qingshen.gov.cn/", ICP: "蜀ICP备05000001号-1",
			Hosting: "中国电信眉山分公司IDC", KeySite: true}},
		[]*registry.Contact{{Name: "刘明", Role: "县政府信息中心网络安全管理员", Phone: "13990300001"}}},
	{&registry.Unit{Name: "青神县人民医院", Kind: "医院", CreditCode: "12511425MB1234567K", Region: "青城镇", Address: "青神县青城镇中岩路8号",
		Responsible: "院长", ResponsiblePhone: "028-38822120", ContactName: "周敏", ContactPhone: "13990300002"},
		[]*registry.Website{{Name: "青神县人民医院官网及预约挂号系统", Domain: "www.qsxrmyy.cn", URL: "https://www.qsxrmyy.cn/", ICP: "蜀ICP备12000002号-1",
			Hosting: "青神县云数据中心", KeySite: true}},
		[]*registry.Contact{{Name: "周敏", Role: "信息科科长", Phone: "13990300002"}}},
	{&registry.Unit{Name: "青神县云数据中心", Kind: "IDC", CreditCode: "91511425MA6ABCDE1T", Region: "青城镇", Address: "青神县经济开发区竹编产业园3栋",
		Responsible: "总经理", ResponsiblePhone: "028-38830000", ContactName: "何强", ContactPhone: "13990300003", ContactEmail: "noc@qsidc.cn"},
		nil, []*registry.Contact{{Name: "何强", Role: "7×24小时值班（NOC）", Phone: "13990300003"}}},
}

var demoExperts = []*registry.Expert{
	{Name: "罗建国", Unit: "眉山市网络安全技术支撑中心", Expertise: "网站篡改与入侵取证、日志分析", Phone: "13990300011", Available: true},
	{Name: "邓晓燕", Unit: "四川大学网络空间安全学院", Expertise: "勒索病毒处置、数据恢复", Phone: "13990300012", Available: true},
}

var demoEquipment = []*registry.Equipment{
	{Name: "网络安全应急处置车（川Z·A1234警）", Kind: "车辆", Status: "在用", Location: "县公安局网监大队车库", Custodian: "张值班", Phone: "13990300021"},
	{Name: "现场取证工作站", Kind: "取证设备", Status: "备用", Location: "网监大队装备室", Custodian: "张值班", Phone: "13990300021"},
}
