package registry

import (
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"yingji/internal/cleantext"
)

// Unit kinds as the ledgers write them. ISP, IDC and 信息服务 units are the
// access and information service providers.
var UnitKinds = []string{"党政机关", "企业", "学校", "医院", "ISP", "IDC", "信息服务", "其他"}

// ProviderKinds are the unit kinds that provide access or information services.
var ProviderKinds = []string{"ISP", "IDC", "信息服务"}

// Unit is a networked unit (联网单位).
type Unit struct {
	ID               int64
	OrgID            int64
	Name             string
	Kind             string
	CreditCode       string // 统一社会信用代码
	Region           string
	Address          string
	Responsible      string // 负责人
	ResponsiblePhone string
	ContactName      string // 网络安全联系人
	ContactPhone     string
	ContactEmail     string
	Note             string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Website is a website or information system of a unit.
type Website struct {
	ID        int64
	OrgID     int64
	UnitID    int64
	UnitCode  string // the owning unit's credit code, as ledgers name it
	UnitName  string
	Name      string
	Domain    string
	URL       string
	ICP       string
	IPs       []netip.Addr
	Hosting   string // hosting provider
	KeySite   bool   // 重点网站
	Note      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Contact is a person to call at a unit (or a channel with no unit).
type Contact struct {
	ID     int64
	OrgID  int64
	UnitID int64
	Name   string
	Role   string
	Phone  string
	Email  string
	Note   string
}

// Expert is a member of the expert group.
type Expert struct {
	ID        int64
	OrgID     int64
	Name      string
	Unit      string
	Expertise string
	Phone     string
	Email     string
	Available bool
	Note      string
}

// Equipment is an item of emergency equipment or a vehicle.
type Equipment struct {
	ID        int64
	OrgID     int64
	Name      string
	Kind      string // e.g. 车辆, 取证设备, 通信设备
	Status    string // one of EquipmentStatuses
	Location  string
	Custodian string
	Phone     string
	Note      string
}

// EquipmentStatuses are the states of an item of equipment.
var EquipmentStatuses = []string{"在用", "备用", "维修", "报废"}

// Problem is one thing wrong with an input: the field (a JSON field name)
// and a message catalogue key with its arguments.
type Problem struct {
	Field string
	Key   string
	Args  []any
}

type checker struct{ p []Problem }

func (c *checker) add(field, key string, args ...any) { c.p = append(c.p, Problem{field, key, args}) }

func (c *checker) text(field string, v *string, required bool, max int) {
	*v = strings.TrimSpace(*v)
	switch {
	case required && *v == "":
		c.add(field, "error.required")
	case !cleantext.OK(*v):
		c.add(field, "registry.bad_text")
	case utf8.RuneCountInString(*v) > max:
		c.add(field, "error.too_long", max)
	}
}

func (c *checker) phone(field string, v *string, required bool) {
	*v = NormalizePhone(*v)
	if *v == "" {
		if required {
			c.add(field, "error.required")
		}
		return
	}
	if !ValidPhone(*v) {
		c.add(field, "registry.bad_phone", *v)
	}
}

func (c *checker) email(field string, v *string) {
	*v = strings.TrimSpace(*v)
	if *v != "" && !ValidEmail(*v) {
		c.add(field, "registry.bad_email", *v)
	}
}

// Check normalises a unit and lists what is wrong with it.
func (u *Unit) Check() []Problem {
	var c checker
	c.text("name", &u.Name, true, 200)
	c.text("kind", &u.Kind, true, 20)
	if u.Kind != "" && !slices.Contains(UnitKinds, u.Kind) {
		c.add("kind", "registry.bad_kind", u.Kind, strings.Join(UnitKinds, "、"))
	}
	u.CreditCode = NormalizeCreditCode(u.CreditCode)
	if u.CreditCode == "" {
		c.add("credit_code", "error.required")
	} else if !ValidCreditCode(u.CreditCode) {
		c.add("credit_code", "registry.bad_credit_code", u.CreditCode)
	}
	c.text("region", &u.Region, false, 100)
	c.text("address", &u.Address, false, 300)
	c.text("responsible", &u.Responsible, false, 50)
	c.phone("responsible_phone", &u.ResponsiblePhone, false)
	c.text("contact_name", &u.ContactName, false, 50)
	c.phone("contact_phone", &u.ContactPhone, false)
	c.email("contact_email", &u.ContactEmail)
	c.text("note", &u.Note, false, 2000)
	return c.p
}

// Same reports whether two units hold the same ledger data.
func (u *Unit) Same(o *Unit) bool {
	return u.Name == o.Name && u.Kind == o.Kind && u.CreditCode == o.CreditCode && u.Region == o.Region && u.Address == o.Address &&
		u.Responsible == o.Responsible && u.ResponsiblePhone == o.ResponsiblePhone && u.ContactName == o.ContactName &&
		u.ContactPhone == o.ContactPhone && u.ContactEmail == o.ContactEmail && u.Note == o.Note
}

// Check normalises a website and lists what is wrong with it. The owning
// unit is checked by the caller, who knows the units.
func (w *Website) Check() []Problem {
	var c checker
	c.text("name", &w.Name, true, 200)
	w.Domain = NormalizeDomain(w.Domain)
	if w.Domain == "" {
		c.add("domain", "error.required")
	} else if !ValidDomain(w.Domain) {
		c.add("domain", "registry.bad_domain", w.Domain)
	}
	w.URL = strings.TrimSpace(w.URL)
	if w.URL != "" && !ValidURL(w.URL) {
		c.add("url", "registry.bad_url", w.URL)
	}
	w.ICP = strings.TrimSpace(w.ICP)
	if w.ICP != "" && !ValidICP(w.ICP) {
		c.add("icp", "registry.bad_icp", w.ICP)
	}
	c.text("hosting", &w.Hosting, false, 200)
	c.text("note", &w.Note, false, 2000)
	return c.p
}

// Same reports whether two websites hold the same ledger data.
func (w *Website) Same(o *Website) bool {
	return w.Name == o.Name && w.Domain == o.Domain && w.URL == o.URL && w.ICP == o.ICP && JoinIPs(w.IPs) == JoinIPs(o.IPs) &&
		w.Hosting == o.Hosting && w.KeySite == o.KeySite && w.Note == o.Note && w.UnitID == o.UnitID
}

// Check normalises a contact.
func (x *Contact) Check() []Problem {
	var c checker
	c.text("name", &x.Name, true, 50)
	c.text("role", &x.Role, false, 100)
	c.phone("phone", &x.Phone, true)
	c.email("email", &x.Email)
	c.text("note", &x.Note, false, 2000)
	return c.p
}

// Check normalises an expert.
func (x *Expert) Check() []Problem {
	var c checker
	c.text("name", &x.Name, true, 50)
	c.text("unit", &x.Unit, false, 200)
	c.text("expertise", &x.Expertise, true, 500)
	c.phone("phone", &x.Phone, true)
	c.email("email", &x.Email)
	c.text("note", &x.Note, false, 2000)
	return c.p
}

// Check normalises an item of equipment.
func (x *Equipment) Check() []Problem {
	var c checker
	c.text("name", &x.Name, true, 100)
	c.text("kind", &x.Kind, true, 50)
	c.text("status", &x.Status, true, 10)
	if x.Status != "" && !slices.Contains(EquipmentStatuses, x.Status) {
		c.add("status", "registry.bad_equipment_status", x.Status, strings.Join(EquipmentStatuses, "、"))
	}
	c.text("location", &x.Location, false, 200)
	c.text("custodian", &x.Custodian, false, 50)
	c.phone("phone", &x.Phone, false)
	c.text("note", &x.Note, false, 2000)
	return c.p
}

// SearchKey is the lower-case text a unit is found by: name, credit code,
// contact names and phones. Websites add their domains separately.
func SearchKey(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString(strings.ToLower(p))
	}
	return b.String()
}
