package channel

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// Config is the channel configuration file (JSON). Any string value
// written "env:NAME" is read from the environment variable NAME, so that
// secrets can stay out of the file. Group robots are configured here, with
// the organisations whose notices they carry, rather than in the database:
// their secrets then never reach a page, a backup or the audit chain.
type Config struct {
	BaseURL     string        `json:"base_url"`
	LinkSecret  string        `json:"link_secret,omitempty"` // signs roll-call links (at least 32 characters); write "env:NAME"
	Email       *EmailConfig  `json:"email,omitempty"`
	SMS         *SMS          `json:"sms,omitempty"`
	Robots      []RobotConfig `json:"robots,omitempty"`
	NoRateLimit bool          `json:"no_rate_limit,omitempty"`
}

// EmailConfig configures the SMTP channel.
type EmailConfig struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Security string `json:"security"` // tls, starttls, none
	Username string `json:"username"`
	Password string `json:"password"`
	From     string `json:"from"`
	KeepOpen *int   `json:"keep_open,omitempty"` // connections kept between sends; 4 when absent
}

// RobotConfig is a group robot or a generic webhook.
type RobotConfig struct {
	Name   string  `json:"name"`
	Kind   string  `json:"kind"` // dingtalk, wecom, feishu, webhook
	URL    string  `json:"url"`
	Secret string  `json:"secret"`
	Orgs   []int64 `json:"orgs"` // none: every organisation
}

// ParseConfig reads a configuration and resolves env: references.
func ParseConfig(data []byte, getenv func(string) string) (*Config, error) {
	var c Config
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("channel configuration: %w", err)
	}
	env := func(s *string) error {
		if name, ok := strings.CutPrefix(*s, "env:"); ok {
			v := getenv(name)
			if v == "" {
				return fmt.Errorf("channel configuration: environment variable %s is empty", name)
			}
			*s = v
		}
		return nil
	}
	var errs []error
	errs = append(errs, env(&c.LinkSecret))
	if c.LinkSecret != "" && len(c.LinkSecret) < 32 {
		errs = append(errs, fmt.Errorf("channel configuration: link_secret must be at least 32 characters"))
	}
	if e := c.Email; e != nil {
		errs = append(errs, env(&e.Host), env(&e.Username), env(&e.Password), env(&e.From))
		switch e.Security {
		case "", "tls", "starttls", "none":
		default:
			errs = append(errs, fmt.Errorf("channel configuration: email.security %q (tls, starttls or none)", e.Security))
		}
		if e.Host == "" || e.From == "" {
			errs = append(errs, fmt.Errorf("channel configuration: email needs host and from"))
		}
		if e.Port == 0 {
			e.Port = map[string]int{"tls": 465, "none": 25}[e.Security]
			if e.Port == 0 {
				e.Port = 587
			}
		}
	}
	if s := c.SMS; s != nil {
		errs = append(errs, env(&s.URL), env(&s.Body))
		for k, v := range s.Headers {
			errs = append(errs, env(&v))
			s.Headers[k] = v
		}
		if s.URL == "" || !strings.Contains(s.URL+s.Body, "{{phone}}") || !strings.Contains(s.URL+s.Body, "{{text}}") {
			errs = append(errs, fmt.Errorf("channel configuration: sms needs url, and {{phone}} and {{text}} in the url or the body"))
		}
		if s.BodyEncoding != "" && s.BodyEncoding != "json" && s.BodyEncoding != "form" {
			errs = append(errs, fmt.Errorf("channel configuration: sms.body_encoding %q (json or form)", s.BodyEncoding))
		}
	}
	seen := map[string]bool{"email": true, "sms": true}
	for i := range c.Robots {
		r := &c.Robots[i]
		errs = append(errs, env(&r.URL), env(&r.Secret))
		switch r.Kind {
		case "dingtalk", "wecom", "feishu", "webhook":
		default:
			errs = append(errs, fmt.Errorf("channel configuration: robots[%d].kind %q (dingtalk, wecom, feishu or webhook)", i, r.Kind))
		}
		if r.Name == "" || seen[r.Name] {
			errs = append(errs, fmt.Errorf("channel configuration: robots[%d].name %q is empty or used twice", i, r.Name))
		}
		seen[r.Name] = true
		if r.URL == "" {
			errs = append(errs, fmt.Errorf("channel configuration: robots[%d] (%s) needs url", i, r.Name))
		}
	}
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	return &c, nil
}

// LoadConfig reads the file at path ("" for none: no outside channels).
func LoadConfig(path string) (*Config, error) {
	if path == "" {
		return &Config{}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseConfig(data, os.Getenv)
}

// Build makes the channels of a configuration. now is the clock that signs
// robot requests and books rate limits.
func Build(c *Config, now func() time.Time) *Set {
	s := &Set{BaseURL: strings.TrimRight(c.BaseURL, "/")}
	if c.LinkSecret != "" {
		s.LinkKey = []byte(c.LinkSecret)
	}
	limits := !c.NoRateLimit
	if e := c.Email; e != nil {
		keep := 4
		if e.KeepOpen != nil {
			keep = *e.KeepOpen
		}
		s.Add("email", &Email{Host: e.Host, Port: e.Port, Security: e.Security, Username: e.Username, Password: e.Password, From: e.From, Now: now, KeepOpen: keep}, nil, limits)
	}
	if c.SMS != nil {
		sms := *c.SMS
		s.Add("sms", &sms, nil, limits)
	}
	for _, r := range c.Robots {
		var snd Sender
		switch r.Kind {
		case "dingtalk":
			snd = &DingTalk{URL: r.URL, Secret: r.Secret, Now: now}
		case "wecom":
			snd = &WeCom{URL: r.URL}
		case "feishu":
			snd = &Feishu{URL: r.URL, Secret: r.Secret, Now: now}
		case "webhook":
			snd = &Webhook{URL: r.URL, Secret: r.Secret, Now: now}
		}
		s.Add(r.Name, snd, r.Orgs, limits)
	}
	return s
}
