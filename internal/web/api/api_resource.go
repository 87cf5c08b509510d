package api

import (
	"net/http"
	"time"

	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/user"
)

type resourceJSON struct {
	ID         int64   `json:"id"`
	Kind       string  `json:"kind"`
	KindName   string  `json:"kind_name"`
	RefID      int64   `json:"ref_id"`
	Name       string  `json:"name"`
	Detail     string  `json:"detail"`
	Note       string  `json:"note"`
	PrevStatus string  `json:"prev_status,omitempty"`
	AddedBy    int64   `json:"added_by"`
	AddedAt    string  `json:"added_at"`
	Out        bool    `json:"out"`
	ReturnedBy *int64  `json:"returned_by"`
	ReturnedAt *string `json:"returned_at"`
}

func toResourceJSON(r *incident.Resource, loc *time.Location, l i18n.Lang) resourceJSON {
	return resourceJSON{ID: r.ID, Kind: r.Kind, KindName: i18n.T(l, "resource.kind."+r.Kind), RefID: r.RefID, Name: r.Name, Detail: r.Detail,
		Note: r.Note, PrevStatus: r.PrevStatus, AddedBy: r.AddedBy, AddedAt: ts(r.AddedAt, loc), Out: r.Out(),
		ReturnedBy: idPtr(r.ReturnedBy), ReturnedAt: tsPtr(r.ReturnedAt, loc)}
}

type resourceBody struct {
	Kind  string `json:"kind"`
	RefID int64  `json:"ref_id"`
	Note  string `json:"note"`
}

func (s *Server) apiResources(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.App.Incidents.Resources(r.Context(), u, id)
	if err != nil {
		return err
	}
	items := convert(v.Items, func(x *incident.Resource) resourceJSON { return toResourceJSON(x, s.Loc, lang(r)) })
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "can_change": v.CanChange})
	return nil
}

func (s *Server) apiAddResource(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[resourceBody](r)
	if err != nil {
		return err
	}
	res, err := s.App.Incidents.AddResource(r.Context(), u, id, incidents.NewResource{Kind: b.Kind, RefID: b.RefID, Note: b.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toResourceJSON(res, s.Loc, lang(r)))
	return nil
}

func (s *Server) apiRemoveResource(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, rid, err := idAnd(r, "resourceId")
	if err != nil {
		return err
	}
	if err := s.App.Incidents.RemoveResource(r.Context(), u, id, rid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiReturnResource(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, rid, err := idAnd(r, "resourceId")
	if err != nil {
		return err
	}
	res, err := s.App.Incidents.ReturnResource(r.Context(), u, id, rid)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toResourceJSON(res, s.Loc, lang(r)))
	return nil
}
