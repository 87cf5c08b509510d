package main

import (
	"context"
	"fmt"
)

func registryCmd(ctx context.Context, args []string) error {
	return fmt.Errorf("registry: not built yet")
}

func dutyCmd(ctx context.Context, args []string) error { return fmt.Errorf("duty: not built yet") }
