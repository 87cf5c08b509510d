package api

import (
	"strings"

	"yingji/internal/errs"
	"yingji/internal/registry"
)

type unitJSON struct {
	ID               int64  `json:"id"`
	OrgID            int64  `json:"org_id"`
	Name             string `json:"name"`
	Kind             string `json:"kind"`
	CreditCode       string `json:"credit_code"`
	Region           string `json:"region"`
	Address          string `json:"address"`
	Responsible      string `json:"responsible"`
	ResponsiblePhone string `json:"responsible_phone"`
	ContactName      string `json:"contact_name"`
	ContactPhone     string `json:"contact_phone"`
	ContactEmail     string `json:"contact_email"`
	Note             string `json:"note"`
	CreatedAt        string `json:"created_at,omitempty"`
	UpdatedAt        string `json:"updated_at,omitempty"`
}

type websiteJSON struct {
	ID        int64    `json:"id"`
	OrgID     int64    `json:"org_id"`
	UnitID    int64    `json:"unit_id"`
	UnitName  string   `json:"unit_name,omitempty"`
	Name      string   `json:"name"`
	Domain    string   `json:"domain"`
	URL       string   `json:"url"`
	ICP       string   `json:"icp"`
	IPs       []string `json:"ips"`
	Hosting   string   `json:"hosting"`
	KeySite   bool     `json:"key_site"`
	Note      string   `json:"note"`
	UpdatedAt string   `json:"updated_at,omitempty"`
}

type contactJSON struct {
	ID     int64  `json:"id"`
	OrgID  int64  `json:"org_id"`
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
	Role   string `json:"role"`
	Phone  string `json:"phone"`
	Email  string `json:"email"`
	Note   string `json:"note"`
}

type expertJSON struct {
	ID        int64  `json:"id"`
	OrgID     int64  `json:"org_id"`
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	Expertise string `json:"expertise"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Available bool   `json:"available"`
	Note      string `json:"note"`
}

type equipmentJSON struct {
	ID        int64  `json:"id"`
	OrgID     int64  `json:"org_id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Location  string `json:"location"`
	Custodian string `json:"custodian"`
	Phone     string `json:"phone"`
	Note      string `json:"note"`
}

func (s *Server) toUnitJSON(u *registry.Unit) unitJSON {
	return unitJSON{ID: u.ID, OrgID: u.OrgID, Name: u.Name, Kind: u.Kind, CreditCode: u.CreditCode, Region: u.Region, Address: u.Address,
		Responsible: u.Responsible, ResponsiblePhone: u.ResponsiblePhone, ContactName: u.ContactName, ContactPhone: u.ContactPhone,
		ContactEmail: u.ContactEmail, Note: u.Note, CreatedAt: ts(u.CreatedAt, s.Loc), UpdatedAt: ts(u.UpdatedAt, s.Loc)}
}

func (b unitJSON) unit() *registry.Unit {
	return &registry.Unit{Name: b.Name, Kind: b.Kind, CreditCode: b.CreditCode, Region: b.Region, Address: b.Address, Responsible: b.Responsible,
		ResponsiblePhone: b.ResponsiblePhone, ContactName: b.ContactName, ContactPhone: b.ContactPhone, ContactEmail: b.ContactEmail, Note: b.Note}
}

func (s *Server) toWebsiteJSON(w *registry.Website) websiteJSON {
	ips := make([]string, len(w.IPs))
	for i, a := range w.IPs {
		ips[i] = a.String()
	}
	return websiteJSON{ID: w.ID, OrgID: w.OrgID, UnitID: w.UnitID, UnitName: w.UnitName, Name: w.Name, Domain: w.Domain, URL: w.URL, ICP: w.ICP,
		IPs: ips, Hosting: w.Hosting, KeySite: w.KeySite, Note: w.Note, UpdatedAt: ts(w.UpdatedAt, s.Loc)}
}

func (b websiteJSON) website() (*registry.Website, error) {
	w := &registry.Website{UnitID: b.UnitID, Name: b.Name, Domain: b.Domain, URL: b.URL, ICP: b.ICP, Hosting: b.Hosting, KeySite: b.KeySite, Note: b.Note}
	ips, bad, ok := registry.ParseIPs(strings.Join(b.IPs, ","))
	if !ok {
		return nil, errs.Field("ips", "registry.bad_ip", bad)
	}
	w.IPs = ips
	return w, nil
}

func toContactJSON(c *registry.Contact) contactJSON {
	return contactJSON{c.ID, c.OrgID, c.UnitID, c.Name, c.Role, c.Phone, c.Email, c.Note}
}

func toExpertJSON(e *registry.Expert) expertJSON {
	return expertJSON{e.ID, e.OrgID, e.Name, e.Unit, e.Expertise, e.Phone, e.Email, e.Available, e.Note}
}

func toEquipmentJSON(e *registry.Equipment) equipmentJSON {
	return equipmentJSON{e.ID, e.OrgID, e.Name, e.Kind, e.Status, e.Location, e.Custodian, e.Phone, e.Note}
}

func (b contactJSON) contact() *registry.Contact {
	return &registry.Contact{UnitID: b.UnitID, Name: b.Name, Role: b.Role, Phone: b.Phone, Email: b.Email, Note: b.Note}
}

func (b expertJSON) expert() *registry.Expert {
	return &registry.Expert{Name: b.Name, Unit: b.Unit, Expertise: b.Expertise, Phone: b.Phone, Email: b.Email, Available: b.Available, Note: b.Note}
}

func (b equipmentJSON) equipment() *registry.Equipment {
	return &registry.Equipment{Name: b.Name, Kind: b.Kind, Status: b.Status, Location: b.Location, Custodian: b.Custodian, Phone: b.Phone, Note: b.Note}
}
