package main

import (
	"context"
	"fmt"
)

func benchCmd(ctx context.Context, args []string) error {
	return fmt.Errorf("bench: not built yet")
}
