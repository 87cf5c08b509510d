package main

import (
	"context"
	"fmt"
)

func reportCmd(ctx context.Context, args []string) error { return fmt.Errorf("report: not built yet") }
