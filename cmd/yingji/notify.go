package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"yingji/internal/channel"
	"yingji/internal/delivery"
	"yingji/internal/i18n"
	"yingji/internal/store"
)

// channelsFlagHelp describes --channels for serve and notify.
const channelsFlagHelp = "channel configuration file (SMTP, SMS gateway, group robots; see docs/notices.md); none: notices stay in the console"

// loadChannels reads the channel configuration; the database clock signs
// robot requests.
func loadChannels(path string, db *store.DB) (*channel.Set, error) {
	c, err := channel.LoadConfig(path)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if db != nil {
		now = db.Now
	}
	return channel.Build(c, now), nil
}

// startDelivery starts the delivery worker of this node (issue 10). It
// runs without outside channels too: notices are then routed with the
// reason they stayed in the console, never left pending.
func startDelivery(ctx context.Context, db *store.DB, chans *channel.Set, log *slog.Logger) {
	host, _ := os.Hostname()
	w := &delivery.Worker{DB: db, Channels: chans, Name: fmt.Sprintf("%s-%d", host, os.Getpid()), Log: log}
	log.Info("delivery worker started", "worker", w.Name, "channels", strings.Join(chans.Names(), ","))
	go w.Run(ctx)
}

// notifyCmd: yingji notify test --channel NAME --to ADDRESS.
func notifyCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "test" {
		fmt.Fprintln(os.Stderr, "usage: yingji notify test --channel NAME [--to ADDRESS] [--channels FILE]")
		return exitError(2)
	}
	fs := newFlagSet("notify test")
	file := fs.String("channels", os.Getenv("YINGJI_CHANNELS"), channelsFlagHelp)
	name := fs.String("channel", "", "channel name: email, sms, or a robot's name in the file")
	to := fs.String("to", "", "phone number (sms) or e-mail address (email); none for a group robot")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError(2)
	}
	if *file == "" { // without a file there is nothing to test; say so rather than "no channel in  ()"
		return fmt.Errorf("没有通道配置文件 (no channel file): give --channels FILE or set YINGJI_CHANNELS (docs/notices.md)")
	}
	set, err := loadChannels(*file, nil)
	if err != nil {
		return err
	}
	c, ok := set.Get(*name)
	if !ok {
		return fmt.Errorf("no channel %q in %s (configured: %s)", *name, *file, strings.Join(set.Names(), ", "))
	}
	text := i18n.T(i18n.ZH, "notify.prefix") + i18n.T(i18n.ZH, "notify.text.test")
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	key := fmt.Sprintf("cli-test-%d", time.Now().UnixNano())
	if err := c.Send(ctx, channel.Message{Key: key, To: *to, Subject: i18n.T(i18n.ZH, "notify.subject"), Text: text}); err != nil {
		return fmt.Errorf("通道 %s 测试失败 (test failed): %w", *name, err) // channel errors carry no secret
	}
	fmt.Printf("通道 %s 测试消息已发出 (test message sent), key %s\n", *name, key)
	return nil
}
