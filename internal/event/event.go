// Package event holds the typed timeline events: one Go type per kind of
// timeline entry, with the sentence people read (Text, from the i18n
// catalogue) and the flat data stored with the entry (its fields' JSON tags
// are the stored keys, so rows written before the types decode into them).
// A new timeline kind is a new type here, registered in kinds.
package event

import (
	"reflect"
	"sort"
	"strconv"
	"strings"

	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// Event is one kind of thing on an incident's timeline.
type Event interface {
	Kind() incident.EntryKind
	Text(l i18n.Lang) string
}

// Unknown is an entry of a kind no type claims (a row from a later
// version, say): it reads as its kind, as the timeline always has.
type Unknown struct {
	K    incident.EntryKind
	Data map[string]string
}

func (u Unknown) Kind() incident.EntryKind { return u.K }
func (u Unknown) Text(i18n.Lang) string    { return string(u.K) }

// registry maps a kind to its type; filled from kinds (kinds.go).
var registry = map[incident.EntryKind]reflect.Type{}

func init() {
	for _, e := range kinds {
		k := e.Kind()
		if _, dup := registry[k]; dup {
			panic("event: kind " + string(k) + " registered twice")
		}
		registry[k] = reflect.TypeOf(e)
	}
}

// list joins names as the language writes a list: 甲、乙 or A, B. Rows
// written before lists were stored one item a line hold one item, joined
// with 、 already.
func list(l i18n.Lang, xs []string) string {
	if l == i18n.EN {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs, "、")
}

// Kinds lists the registered kinds, sorted.
func Kinds() []incident.EntryKind {
	out := make([]incident.EntryKind, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Decode reads a stored entry's data into its kind's type; a kind no type
// claims decodes to Unknown.
func Decode(kind incident.EntryKind, data map[string]string) Event {
	t, ok := registry[kind]
	if !ok {
		return Unknown{K: kind, Data: data}
	}
	v := reflect.New(t).Elem()
	decodeInto(v, data, map[string]bool{})
	return v.Interface().(Event)
}

// Entry decodes a timeline entry.
func Entry(e *incident.Entry) Event { return Decode(e.Kind, e.Data) }

// Data is the event's flat data as the timeline stores it: one key per
// tagged field (",omitempty" leaves an empty one out), nil when empty.
func Data(ev Event) map[string]string {
	if u, ok := ev.(Unknown); ok {
		return u.Data
	}
	d := map[string]string{}
	encode(reflect.ValueOf(ev), d)
	if len(d) == 0 {
		return nil
	}
	return d
}

// field is a struct field's stored key: its name, whether an empty value
// is left out, and whether it is the rest map (",rest": the keys no other
// field claims, for data whose keys are not fixed).
type field struct {
	name            string
	omitEmpty, rest bool
}

func parseTag(f reflect.StructField) (field, bool) {
	tag, ok := f.Tag.Lookup("json")
	if !ok || tag == "-" {
		return field{}, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	fl := field{name: name}
	for _, o := range strings.Split(opts, ",") {
		fl.omitEmpty = fl.omitEmpty || o == "omitempty"
		fl.rest = fl.rest || o == "rest"
	}
	return fl, true
}

func encode(v reflect.Value, d map[string]string) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf, fv := t.Field(i), v.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			encode(fv, d)
			continue
		}
		f, ok := parseTag(sf)
		if !ok {
			continue
		}
		switch x := fv.Interface().(type) {
		case string:
			if x != "" || !f.omitEmpty {
				d[f.name] = x
			}
		case *string:
			if x != nil {
				d[f.name] = *x
			}
		case []string:
			// A list is stored one item a line (names never hold one).
			if len(x) > 0 || !f.omitEmpty {
				d[f.name] = strings.Join(x, "\n")
			}
		case bool:
			if x || !f.omitEmpty {
				d[f.name] = strconv.FormatBool(x)
			}
		case map[string]string:
			if f.rest {
				for k, val := range x {
					if _, set := d[k]; !set {
						d[k] = val
					}
				}
			}
		default:
			panic("event: field " + sf.Name + " of " + t.Name() + " has a type the timeline cannot store")
		}
	}
}

// decodeInto fills v's fields from d; claimed collects the keys fields
// took, for a rest map (decoded last). A rest map also keeps a key stored
// empty that an omitempty field would drop, so such data round-trips.
func decodeInto(v reflect.Value, d map[string]string, claimed map[string]bool) {
	t := v.Type()
	var rest reflect.Value
	for i := 0; i < t.NumField(); i++ {
		sf, fv := t.Field(i), v.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			decodeInto(fv, d, claimed)
			continue
		}
		f, ok := parseTag(sf)
		if !ok {
			continue
		}
		if f.rest {
			rest = fv
			continue
		}
		s, present := d[f.name]
		if !present {
			claimed[f.name] = true
			continue
		}
		claimed[f.name] = !(s == "" && f.omitEmpty)
		switch fv.Interface().(type) {
		case string:
			fv.SetString(s)
		case *string:
			fv.Set(reflect.ValueOf(&s))
		case []string:
			if s != "" {
				fv.Set(reflect.ValueOf(strings.Split(s, "\n")))
			}
		case bool:
			fv.SetBool(s == "true")
		}
	}
	if rest.IsValid() {
		m := map[string]string{}
		for k, val := range d {
			if !claimed[k] {
				m[k] = val
			}
		}
		if len(m) > 0 {
			rest.Set(reflect.ValueOf(m))
		}
	}
}
