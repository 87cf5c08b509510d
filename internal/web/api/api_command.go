package api

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incidents"
	"yingji/internal/user"
)

// Corrections and instructions (批示), issue 11.

type correctBody struct {
	Title        *string `json:"title"`
	Description  *string `json:"description"`
	DiscoveredAt *string `json:"discovered_at"`
	Level        *int    `json:"level"`
	Category     *string `json:"category"`
	Reason       string  `json:"reason"`
}

func (s *Server) apiCorrectIncident(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[correctBody](r)
	if err != nil {
		return err
	}
	c := incidents.Correction{Title: b.Title, Description: b.Description, Level: b.Level, Category: b.Category, Reason: b.Reason}
	if b.DiscoveredAt != nil {
		t, err := time.Parse(time.RFC3339, *b.DiscoveredAt)
		if err != nil {
			return errs.Field("discovered_at", "error.bad_time")
		}
		c.DiscoveredAt = &t
	}
	in, err := s.App.Incidents.CorrectIncident(r.Context(), u, id, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toIncidentJSON(in, s.Loc, lang(r)))
	return nil
}

type instructionJSON struct {
	ID          int64    `json:"id"`
	IncidentID  int64    `json:"incident_id"`
	AuthorID    int64    `json:"author_id"`
	Author      string   `json:"author,omitempty"`
	Text        string   `json:"text"`
	Status      string   `json:"status"`
	CreatedAt   string   `json:"created_at"`
	Departments []string `json:"departments"`
	People      []int64  `json:"people"`
	To          []string `json:"to,omitempty"`
	AckedBy     *int64   `json:"acked_by"`
	AckedAt     *string  `json:"acked_at"`
	DoneBy      *int64   `json:"done_by"`
	DoneAt      *string  `json:"done_at"`
	Result      string   `json:"result"`
}

func (s *Server) toInstructionJSON(it *incidents.InstructionItem) instructionJSON {
	ins := it.Instruction
	j := instructionJSON{ID: ins.ID, IncidentID: ins.IncidentID, AuthorID: ins.AuthorID, Author: it.AuthorName, Text: ins.Text,
		Status: string(ins.Status), CreatedAt: ts(ins.CreatedAt, s.Loc), Departments: ins.Departments, People: ins.People, To: it.To,
		AckedBy: idPtr(ins.AckedBy), AckedAt: tsPtr(ins.AckedAt, s.Loc), DoneBy: idPtr(ins.DoneBy), DoneAt: tsPtr(ins.DoneAt, s.Loc), Result: ins.Result}
	if j.Departments == nil {
		j.Departments = []string{}
	}
	if j.People == nil {
		j.People = []int64{}
	}
	return j
}

func (s *Server) apiInstructions(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.App.Incidents.Instructions(r.Context(), u, id)
	if err != nil {
		return err
	}
	out := convert(list, s.toInstructionJSON)
	writeJSON(w, http.StatusOK, map[string]any{"instructions": out})
	return nil
}

type instructionBody struct {
	Text        string   `json:"text"`
	Departments []string `json:"departments"`
	People      []int64  `json:"people"`
}

func (s *Server) apiPostInstruction(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[instructionBody](r)
	if err != nil {
		return err
	}
	ins, err := s.App.Incidents.PostInstruction(r.Context(), u, id, incidents.NewInstruction{Text: b.Text, Departments: b.Departments, People: b.People})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/incidents/"+strconv.FormatInt(id, 10)+"/instructions")
	writeJSON(w, http.StatusCreated, s.toInstructionJSON(&incidents.InstructionItem{Instruction: ins}))
	return nil
}

func (s *Server) apiAckInstruction(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ins, err := s.App.Incidents.AckInstruction(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toInstructionJSON(&incidents.InstructionItem{Instruction: ins}))
	return nil
}

type instructionDoneBody struct {
	Result string `json:"result"`
}

func (s *Server) apiDoneInstruction(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[instructionDoneBody](r)
	if err != nil {
		return err
	}
	ins, err := s.App.Incidents.DoneInstruction(r.Context(), u, id, b.Result)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toInstructionJSON(&incidents.InstructionItem{Instruction: ins}))
	return nil
}
