// Package plan holds the contingency plan model: the categories of incident a
// plan covers, their phases and task templates, who approves activation and
// termination, and the report schedule. A plan is a YAML file (see
// docs/plan-format.md); Parse reads and validates one, so changing the plan
// changes the system without changing code.
//
// The package is pure: no I/O beyond reading the file it is given, no clock.
package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"time"

	// Deadlines are computed in the plan's zone whatever the host has
	// installed; embedding the zone database keeps "Asia/Shanghai" loadable
	// in minimal containers.
	_ "time/tzdata"

	"yingji/plans"
)

// DefaultTimeZone is used when a plan does not name one.
const DefaultTimeZone = "Asia/Shanghai"

// Approval scopes: how the approver's organisation must relate to the
// incident's organisation.
const (
	ScopeParent       = "parent"         // a parent or other ancestor organisation
	ScopeSame         = "same"           // the incident's own organisation
	ScopeSameOrParent = "same_or_parent" // either of the above
)

// Phase keys used by the shipped plan. Other keys are allowed; these are the
// ones code may look for.
const (
	PhaseActivation    = "activation"    // 预案启动
	PhaseWarning       = "warning"       // 预警通报
	PhaseHandling      = "handling"      // 警情处置 / 协调处置
	PhaseInvestigation = "investigation" // 侦查工作 / 案件查处 / 案件调查
	PhaseReporting     = "reporting"     // 报告通报
	PhaseTermination   = "termination"   // 处置终止
)

// Plan is a parsed and validated plan file. Treat it as read-only: it is
// shared by every incident that runs under it.
type Plan struct {
	Key          string         `yaml:"key"`       // stable identifier, [a-z0-9-]+
	Version      string         `yaml:"version"`   // e.g. "2026.1"
	Title        string         `yaml:"title"`     // the plan's official title
	Org          string         `yaml:"org"`       // the organisation the plan belongs to
	TimeZone     string         `yaml:"time_zone"` // IANA name; DefaultTimeZone if empty
	Location     *time.Location `yaml:"-"`         // loaded from TimeZone
	Roles        []Role         `yaml:"roles"`
	Departments  []Department   `yaml:"departments"`
	LeadingGroup LeadingGroup   `yaml:"leading_group"`
	Approvals    Approvals      `yaml:"approvals"`
	Reports      Reports        `yaml:"reports"`
	Escalation   Escalation     `yaml:"escalation"`  // issue 10: until acknowledged
	AlertRules   []AlertRule    `yaml:"alert_rules"` // issue 12: what an alert does when it lands
	Categories   []Category     `yaml:"categories"`
	// Visibility says who reads an incident (五(二) 严守工作秘密): VisibilityNeedToKnow
	// (the default) or VisibilityOrganisation; a category may override it.
	Visibility string `yaml:"visibility"`
	Source     []byte `yaml:"-"` // the raw file, kept so a record can show the exact plan it ran under
}

// Role is a function a person can hold, e.g. duty_officer 值班员.
type Role struct {
	Key         string `yaml:"key"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

// Department is a unit of the organisation that owns tasks.
type Department struct {
	Key       string `yaml:"key"`
	Name      string `yaml:"name"`       // full name, e.g. 治安管理大队
	ShortName string `yaml:"short_name"` // the name used in the plan text, e.g. 治安; defaults to Name
	Office    bool   `yaml:"office"`     // the leading group's office sits here
}

// LeadingGroup is the command body that assigns tasks and decides.
type LeadingGroup struct {
	Name   string `yaml:"name"`
	Leader string `yaml:"leader"` // role keys
	Deputy string `yaml:"deputy"`
	Member string `yaml:"member"`
	Office string `yaml:"office"` // department key; defaults to the department marked office
}

// Approvals says who may activate and terminate the plan.
type Approvals struct {
	Activation  ApprovalRule `yaml:"activation"`
	Termination ApprovalRule `yaml:"termination"`
	// Warning approves a public warning (预警信息) and its updates and
	// cancellations before release (issue 14). Optional: WarningRule.
	Warning ApprovalRule `yaml:"warning"`
}

// WarningRule is who approves a public warning: approvals.warning, or,
// when the plan does not say, the leading group's 组长 and 副组长 of the
// warning's own organisation.
func (p *Plan) WarningRule() ApprovalRule {
	if p.Approvals.Warning.IsSet() {
		return p.Approvals.Warning
	}
	r := ApprovalRule{Roles: []string{p.LeadingGroup.Leader}, Scope: ScopeSame, Name: "报领导小组组长批准"}
	if p.LeadingGroup.Deputy != "" {
		r.Roles = append(r.Roles, p.LeadingGroup.Deputy)
		r.Name = "报领导小组组长、副组长批准"
	}
	return r
}

// ApprovalRule says which roles, in which organisation, may decide.
type ApprovalRule struct {
	Roles []string `yaml:"roles"` // role keys allowed to decide
	Scope string   `yaml:"scope"` // ScopeParent, ScopeSame or ScopeSameOrParent
	Name  string   `yaml:"name"`  // human text, e.g. 报经市公安局分管领导批准
	// Inform lists roles of the superior organisations told at once when the
	// decision is taken (四(二)、(三): the county decides, the city is
	// informed). Only for a rule decided in the incident's own organisation.
	Inform []string `yaml:"inform"`
}

// IsSet reports whether the rule was written at all: a category's rule
// overrides the plan's only when present.
func (r ApprovalRule) IsSet() bool {
	return len(r.Roles) > 0 || r.Scope != "" || r.Name != "" || len(r.Inform) > 0
}

// ByOwnOrganisation reports whether the rule is decided inside the
// incident's own organisation (a decision, 领导小组决定) rather than approved
// by a superior one (an approval, 报经上级批准).
func (r ApprovalRule) ByOwnOrganisation() bool { return r.Scope == ScopeSame }

// Allows reports whether a holder of role may decide under this rule. The
// organisation check (Scope) is the caller's, as only it knows the tree.
func (r ApprovalRule) Allows(role string) bool {
	for _, k := range r.Roles {
		if k == role {
			return true
		}
	}
	return false
}

// Reports is the reporting regime while a plan is active and after it ends.
type Reports struct {
	Initial    InitialReport `yaml:"initial"`
	Daily      DailyReport   `yaml:"daily"`
	Final      FinalReport   `yaml:"final"`
	Summary    SummaryReport `yaml:"summary"`
	Recipients []Recipient   `yaml:"recipients"`
}

// DailyReport is due every day at At, in the plan's zone, while a category
// with DailyReport set is active.
type DailyReport struct {
	At     string `yaml:"at"` // "17:00"
	Hour   int    `yaml:"-"`  // parsed from At
	Minute int    `yaml:"-"`
	// An activation less than MinLead before At moves the first daily report
	// to the next day: nobody can report on a day that has barely started.
	MinLead    time.Duration   `yaml:"min_lead"`
	Recipients []string        `yaml:"recipients"` // recipient keys
	Reminders  []time.Duration `yaml:"reminders"`  // offsets before the deadline; DefaultReminders if absent
}

// DefaultReminders apply when a plan gives no reminders key at all.
var DefaultReminders = []time.Duration{60 * time.Minute, 15 * time.Minute}

// InitialReport is the first report (首报), due a window after discovery.
type InitialReport struct {
	Within time.Duration `yaml:"within"` // levels III and IV; 0: no first-report deadline
	// MajorWithin applies to levels I and II (特别重大、重大); 0: Within.
	MajorWithin time.Duration `yaml:"major_within"`
}

// For returns the first-report window of an incident of level (1 = I).
func (r InitialReport) For(level int) time.Duration {
	if (level == 1 || level == 2) && r.MajorWithin > 0 {
		return r.MajorWithin
	}
	return r.Within
}

// FinalReport is the final report (终报), due Within after termination.
type FinalReport struct {
	Within time.Duration `yaml:"within"` // 0: no final-report deadline
}

// SummaryReport is the summary of the handling, due Within after termination.
type SummaryReport struct {
	Within     time.Duration `yaml:"within"` // 0: no summary is required
	Recipients []string      `yaml:"recipients"`
}

// Recipient is a body reports go to, e.g. 市委.
type Recipient struct {
	Key  string `yaml:"key"`
	Name string `yaml:"name"`
}

// Category is one kind of incident the plan covers, with its procedure.
type Category struct {
	Key         string  `yaml:"key"`
	Name        string  `yaml:"name"`
	Scope       string  `yaml:"scope"`    // the plan's 适用范围 sentence
	GBClass     string  `yaml:"gb_class"` // GB/T 20986-2023 class key, see GBClassName
	Phases      []Phase `yaml:"phases"`
	DailyReport bool    `yaml:"daily_report"` // the daily report regime applies while active
	Visibility  string  `yaml:"visibility"`   // overrides the plan's Visibility when set
	// Activation overrides the plan's approvals.activation for this
	// category: 四(一)、(四) 报经市公安局分管领导批准后启动, 四(二)、(三) 启动预案 by
	// the county itself.
	Activation ApprovalRule `yaml:"activation"`
	// Assignment, when set, lets holders of its roles in a superior
	// organisation register an incident of this category for an
	// organisation below them (四(五) 执行上级处置决策,完成交办的任务): the
	// assignment is the decision to act, so the incident is active at once.
	Assignment ApprovalRule `yaml:"assignment"`
}

// ActivationRule returns who activates incidents of category key: the
// category's own rule if it has one, else the plan's.
func (p *Plan) ActivationRule(key string) ApprovalRule {
	if c := p.Category(key); c != nil && c.Activation.IsSet() {
		return c.Activation
	}
	return p.Approvals.Activation
}

// Visibility values. Need-to-know limits an incident to the people with a
// part in it; organisation opens it to every user of its organisation.
const (
	VisibilityNeedToKnow   = "need_to_know"
	VisibilityOrganisation = "organisation"
)

// OpenToOrganisation reports whether incidents of category key are readable
// by every user of their organisation: the category's visibility, else the
// plan's, else need-to-know.
func (p *Plan) OpenToOrganisation(key string) bool {
	v := p.Visibility
	if c := p.Category(key); c != nil && c.Visibility != "" {
		v = c.Visibility
	}
	return v == VisibilityOrganisation
}

// Phase is one link of a category's procedure.
type Phase struct {
	Key         string         `yaml:"key"`
	Name        string         `yaml:"name"`
	Description string         `yaml:"description"` // the plan's text for this link
	Tasks       []TaskTemplate `yaml:"tasks"`
}

// TaskTemplate becomes a task of an incident when the plan is activated.
type TaskTemplate struct {
	Key         string        `yaml:"key"` // unique within its category
	Title       string        `yaml:"title"`
	Description string        `yaml:"description"`
	Department  string        `yaml:"department"` // owning department key
	Due         time.Duration `yaml:"due"`        // after activation; 0: no due time
	// AfterTermination: the task follows the termination decision (终止预案,
	// 同时报告…; 预案终止后一周内上报处置工作总结). It can be done only once
	// termination is approved and stays workable after termination.
	AfterTermination bool `yaml:"after_termination"`
	// Approval, when it names roles, gates the task: it can be done only
	// after a holder of one of the roles approved it (需报经…批准).
	Approval ApprovalRule `yaml:"approval"`
}

// Gated reports whether the task needs an approval before it is done.
func (t *TaskTemplate) Gated() bool { return len(t.Approval.Roles) > 0 }

// gbClasses are the top-level classes of GB/T 20986-2023 (网络安全事件分类分级指南).
var gbClasses = []struct{ key, name string }{
	{"malware", "恶意程序事件"},
	{"attack", "网络攻击事件"},
	{"data", "数据安全事件"},
	{"content", "信息内容安全事件"},
	{"device", "设备设施故障事件"},
	{"violation", "违规操作事件"},
	{"hazard", "安全隐患事件"},
	{"anomaly", "异常行为事件"},
	{"force_majeure", "不可抗力事件"},
	{"other", "其他事件"},
}

// GBClassName returns the Chinese name of a GB/T 20986-2023 class, "" if
// the key is unknown.
func GBClassName(key string) string {
	for _, c := range gbClasses {
		if c.key == key {
			return c.name
		}
	}
	return ""
}

// GBClasses returns the GB/T 20986-2023 class keys in the standard's order.
func GBClasses() []string {
	keys := make([]string, len(gbClasses))
	for i, c := range gbClasses {
		keys[i] = c.key
	}
	return keys
}

// Category returns the category with key, nil if none.
func (p *Plan) Category(key string) *Category {
	for i := range p.Categories {
		if p.Categories[i].Key == key {
			return &p.Categories[i]
		}
	}
	return nil
}

// Department returns the department with key, nil if none.
func (p *Plan) Department(key string) *Department {
	for i := range p.Departments {
		if p.Departments[i].Key == key {
			return &p.Departments[i]
		}
	}
	return nil
}

// OfficeDepartment returns the department the leading group's office sits
// in, nil if the plan names none.
func (p *Plan) OfficeDepartment() *Department {
	return p.Department(p.LeadingGroup.Office)
}

// Role returns the role with key, nil if none.
func (p *Plan) Role(key string) *Role {
	for i := range p.Roles {
		if p.Roles[i].Key == key {
			return &p.Roles[i]
		}
	}
	return nil
}

// Recipient returns the report recipient with key, nil if none.
func (p *Plan) Recipient(key string) *Recipient {
	for i := range p.Reports.Recipients {
		if p.Reports.Recipients[i].Key == key {
			return &p.Reports.Recipients[i]
		}
	}
	return nil
}

// Digest is the SHA-256 of the plan file, so a record can prove which exact
// plan an incident ran under even if Version was not bumped.
func (p *Plan) Digest() string {
	sum := sha256.Sum256(p.Source)
	return hex.EncodeToString(sum[:])
}

// Phase returns the phase with key, nil if none.
func (c *Category) Phase(key string) *Phase {
	for i := range c.Phases {
		if c.Phases[i].Key == key {
			return &c.Phases[i]
		}
	}
	return nil
}

// Task returns the task template with key and the phase holding it, nils if
// none. Task keys are unique within a category.
func (c *Category) Task(key string) (*TaskTemplate, *Phase) {
	for i := range c.Phases {
		ph := &c.Phases[i]
		for j := range ph.Tasks {
			if ph.Tasks[j].Key == key {
				return &ph.Tasks[j], ph
			}
		}
	}
	return nil, nil
}

// Load reads and parses the plan file name from fsys. The name in errors is
// name itself.
func Load(fsys fs.FS, name string) (*Plan, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return Parse(name, data)
}

// LoadDefault parses the shipped default plan (plans/qingshen.yaml).
func LoadDefault() (*Plan, error) {
	data, err := fs.ReadFile(plans.FS, plans.Default)
	if err != nil {
		return nil, err
	}
	return Parse("plans/"+plans.Default, data)
}
