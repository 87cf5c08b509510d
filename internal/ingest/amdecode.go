package ingest

// amTyped is the part of an Alertmanager webhook body that ingest reads.
type amTyped struct {
	Version string    `json:"version"`
	Status  string    `json:"status"`
	Alerts  []amAlert `json:"alerts"`
}

// decodeWebhook decodes body into amTyped as json.Unmarshal would, several
// times faster (encoding/json's reflection was a fifth of the server's CPU
// at 100 alerts per request). ok is false where it is not sure to answer as
// encoding/json does (a syntax error, a value of another kind or null where
// a field is, a key that only matches a field ignoring case, a field given
// twice, deep nesting): the caller then asks encoding/json.
// FuzzDecodeWebhook checks the two agree.
func decodeWebhook(body []byte) (t amTyped, ok bool) {
	s := jscan{b: body}
	if !s.take('{') {
		return t, false
	}
	var seen [3]bool
	if s.peek() == '}' {
		s.i++
		return t, s.end()
	}
	for !s.bad {
		k := s.key()
		if s.bad {
			return t, false
		}
		f := -1
		switch string(k) {
		case "version":
			f = 0
		case "status":
			f = 1
		case "alerts":
			f = 2
		default:
			if foldsTo(k, "version", "status", "alerts") {
				return t, false
			}
			s.skip(1)
		}
		if f >= 0 {
			if seen[f] {
				return t, false
			}
			seen[f] = true
		}
		switch f {
		case 0, 1:
			if s.peek() != '"' {
				return t, false
			}
			if f == 0 {
				t.Version = s.str()
			} else {
				t.Status = s.str()
			}
		case 2:
			t.Alerts = s.alerts()
		}
		if s.bad || !s.next('}') {
			break
		}
	}
	return t, !s.bad && s.end()
}

func (s *jscan) alerts() []amAlert {
	if !s.take('[') {
		return nil
	}
	out := make([]amAlert, 0, 4)
	if s.peek() == ']' {
		s.i++
		return out
	}
	for !s.bad {
		out = append(out, amAlert{})
		s.alert(&out[len(out)-1])
		if s.bad || !s.next(']') {
			break
		}
	}
	return out
}

var amAlertFields = []string{"status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"}

func (s *jscan) alert(a *amAlert) {
	if !s.take('{') {
		return
	}
	if s.peek() == '}' {
		s.i++
		return
	}
	var seen [7]bool
	for !s.bad {
		k := s.key()
		if s.bad {
			return
		}
		f := -1
		for i, name := range amAlertFields {
			if string(k) == name {
				f = i
				break
			}
		}
		if f < 0 {
			if foldsTo(k, amAlertFields...) {
				s.bad = true
				return
			}
			s.skip(2)
		} else {
			if seen[f] {
				s.bad = true
				return
			}
			seen[f] = true
			switch f {
			case 1:
				a.Labels = s.strMap()
			case 2:
				a.Annotations = s.strMap()
			default:
				if s.peek() != '"' {
					s.bad = true
					return
				}
				v := s.str()
				switch f {
				case 0:
					a.Status = v
				case 3:
					a.StartsAt = v
				case 4:
					a.EndsAt = v
				case 5:
					a.GeneratorURL = v
				case 6:
					a.Fingerprint = v
				}
			}
		}
		if s.bad || !s.next('}') {
			return
		}
	}
}
