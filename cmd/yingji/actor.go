package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"yingji/internal/app"
	"yingji/internal/user"
)

// Who runs a command. A command that acts as a person (drafting, signing,
// reading reports) needs that person's credential: an API token (--token or
// $YINGJI_TOKEN) or his password, typed at the terminal or given on
// standard input with --password-stdin. Naming a user (--as) is not enough:
// anyone who can run the binary could otherwise sign as a leader. A
// maintenance command runs as the system actor, which --system makes
// explicit. Either way the audit record says which ("via").
type credFlags struct {
	as            string
	token         string
	passwordStdin bool
	system        bool
}

func (c *credFlags) register(fs *flag.FlagSet, system bool) {
	fs.StringVar(&c.as, "as", "", "username of the person acting (with his password)")
	fs.StringVar(&c.token, "token", "", "API token of the person acting (default $YINGJI_TOKEN)")
	fs.BoolVar(&c.passwordStdin, "password-stdin", false, "read the password of --as from standard input")
	if system {
		fs.BoolVar(&c.system, "system", false, "run as the system actor (maintenance)")
	}
}

// stdin and isTerminal are variables so that tests can stand in for a terminal.
var (
	stdin      io.Reader = os.Stdin
	isTerminal           = func() bool { return term.IsTerminal(int(os.Stdin.Fd())) }
	readSecret           = func() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) }
)

var errNoCredential = errors.New("a credential is required to act as a person: --token TOKEN (or $YINGJI_TOKEN), " +
	"or --as USER with the password typed at the terminal or given with --password-stdin")

// given reports whether a person's credential (or his name) was given.
func (c *credFlags) given() bool {
	return c.token != "" || os.Getenv("YINGJI_TOKEN") != "" || c.as != ""
}

// person resolves the acting user from his credential.
func (c *credFlags) person(ctx context.Context, a *app.App) (*user.User, error) {
	if c.system {
		return nil, errors.New("--system is for maintenance commands; this one is done as a person with his credential")
	}
	token := c.token
	if token == "" && c.as == "" {
		// $YINGJI_TOKEN is a default; --as names someone else, who proves
		// himself with his password (docs/reports.md exports the duty
		// officer's token, then signs --as chief).
		token = os.Getenv("YINGJI_TOKEN")
	}
	if token != "" {
		u, err := a.Accounts.Authenticate(ctx, strings.TrimSpace(token))
		if err != nil {
			return nil, err
		}
		if c.as != "" && c.as != u.Username {
			return nil, fmt.Errorf("the token belongs to %s, not to %s", u.Username, c.as)
		}
		u.Via = "cli-token"
		return u, nil
	}
	if c.as == "" {
		return nil, errNoCredential
	}
	// With --password-stdin the password is the first line of standard
	// input and, for a user with a second factor, the code the second.
	in := bufio.NewReader(stdin)
	secret := func(prompt string) (string, error) {
		switch {
		case c.passwordStdin:
			line, err := in.ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return "", err
			}
			return strings.TrimRight(line, "\r\n"), nil
		case isTerminal():
			fmt.Fprint(os.Stderr, prompt)
			b, err := readSecret()
			fmt.Fprintln(os.Stderr)
			return string(b), err
		}
		// Not a terminal and not asked for explicitly: a password piped in
		// by accident (or by a script that should use a token) is refused.
		return "", errNoCredential
	}
	pw, err := secret(c.as + " 的密码：")
	if err != nil {
		return nil, err
	}
	// Login counts failures and locks the account as the console does; the
	// session it opens is closed at once.
	sess, err := a.Accounts.Login(ctx, c.as, pw, "cli")
	if err != nil {
		return nil, err
	}
	defer a.Accounts.Logout(ctx, sess.Token)
	switch sess.Stage {
	case user.StageTOTP: // the second factor holds at the command line too
		code, err := secret("动态验证码（认证器应用中的6位数字）：")
		if err != nil {
			return nil, err
		}
		if sess, err = a.Accounts.SecondFactor(ctx, sess, strings.TrimSpace(code), "cli"); err != nil {
			return nil, err
		}
		defer a.Accounts.Logout(ctx, sess.Token)
	case user.StageEnrol:
		return nil, errors.New("this account must enrol a second factor (双因素认证) in the console before it acts; or use an API token")
	}
	u := sess.User
	u.Via = "cli-password"
	return u, nil
}

// maintenance checks that a maintenance command was run as the system
// actor on purpose, and marks its audit records so.
func (c *credFlags) maintenance(a *app.App) error {
	if !c.system {
		return errors.New("--system is required: this maintenance command runs as the system actor")
	}
	a.Core.DB.AuditVia = "system"
	return nil
}
