package ingest

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"yingji/internal/signal"
)

// amWebhook is Alertmanager's webhook body, version 4
// (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
type amWebhook struct {
	Version           string            `json:"version"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []json.RawMessage `json:"alerts"`
}

type amAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// ParseAlertmanager reads one webhook notification. A body that is not the
// webhook document at all is an error; an alert in it that cannot be taken
// is a reject naming its index in alerts[].
func ParseAlertmanager(body []byte, now time.Time) (Result, error) {
	var res Result
	// Fast path: a well-formed body decodes in one pass; only when one of
	// its alerts is not an alert object are they read one by one, so that
	// the bad one is named and the others kept.
	typed, ok := decodeWebhook(body)
	if !ok {
		typed = amTyped{}
		ok = json.Unmarshal(body, &typed) == nil
	}
	if ok {
		if typed.Version != "4" {
			return res, reason("webhook_version", cut(typed.Version, 10))
		}
		res.Signals = make([]signal.Signal, 0, len(typed.Alerts))
		for i := range typed.Alerts {
			s, why := amFields(&typed.Alerts[i], typed.Status, now)
			if why != nil {
				res.reject(i, why)
				continue
			}
			res.Signals = append(res.Signals, s)
		}
		return res, nil
	}
	var wh amWebhook
	if err := json.Unmarshal(body, &wh); err != nil {
		return res, jsonReason(err, "not_webhook", len(body))
	}
	if wh.Version != "4" {
		return res, reason("webhook_version", cut(wh.Version, 10))
	}
	res.Signals = make([]signal.Signal, 0, len(wh.Alerts))
	for i, raw := range wh.Alerts {
		s, why := amSignal(raw, wh.Status, now)
		if why != nil {
			res.reject(i, why)
			continue
		}
		res.Signals = append(res.Signals, s)
	}
	return res, nil
}

func amSignal(raw json.RawMessage, status string, now time.Time) (signal.Signal, *Reason) {
	var a amAlert
	d := json.NewDecoder(bytes.NewReader(raw))
	if err := d.Decode(&a); err != nil {
		return signal.Signal{}, jsonReason(err, "not_alert", len(raw))
	}
	return amFields(&a, status, now)
}

func amFields(a *amAlert, status string, now time.Time) (signal.Signal, *Reason) {
	s := signal.Signal{Format: signal.FormatAlertmanager, Severity: signal.Medium}
	name := clean(a.Labels["alertname"], MaxRule, false)
	if name == "" {
		return s, reason("alertname_missing")
	}
	st := a.Status
	if st == "" {
		st = status
	}
	switch st {
	case "firing":
		s.Status = signal.Firing
	case "resolved":
		s.Status = signal.Resolved
	default:
		return s, reason("status_bad", cut(st, 20))
	}
	s.At = now
	if a.StartsAt != "" {
		t, err := parseTime(a.StartsAt)
		if err != nil {
			return s, timeReason("startsAt", a.StartsAt)
		}
		s.At = t
	}
	// A resolved alert happened at its end; Alertmanager sends the zero
	// time (0001-01-01) as endsAt while an alert fires.
	if s.Status == signal.Resolved && a.EndsAt != "" {
		t, err := parseTime(a.EndsAt)
		if err != nil {
			return s, timeReason("endsAt", a.EndsAt)
		}
		if t.Year() > 1 {
			s.At = t
		}
	}
	if sev, ok := SeverityName(a.Labels["severity"]); ok {
		s.Severity = sev
	}
	s.Rule = name
	s.Title = firstNonEmpty(clean(firstNonEmpty(a.Annotations["summary"], a.Annotations["title"], a.Annotations["message"]), MaxTitle, false), clean(name, MaxTitle, false))
	detail := firstNonEmpty(a.Annotations["description"], a.Annotations["message"])
	if a.GeneratorURL != "" {
		detail = strings.TrimSpace(detail + "\n" + a.GeneratorURL)
	}
	s.Detail = clean(detail, MaxDetail, true)
	s.Labels = cleanLabels(a.Labels)
	s.DstIP, s.Domain = hostOf(a.Labels["instance"])
	// Alertmanager's fingerprint is its hash of the labels: firing and
	// resolved of one alert share it, so they land on one yingji alert.
	s.Key = clean(a.Fingerprint, MaxKey, false)
	return s, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
