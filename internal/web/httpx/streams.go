package httpx

import "sync"

// StreamCounter counts the open live-update streams of the node and of each
// login session, so that neither one tab-happy browser nor many sessions can
// hold every connection the node has.
type StreamCounter struct {
	mu        sync.Mutex
	total     int
	bySession map[int64]int
}

// Acquire takes a stream slot for session unless a cap (0: none) is reached.
func (c *StreamCounter) Acquire(session int64, max, perSession int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if (max > 0 && c.total >= max) || (perSession > 0 && c.bySession[session] >= perSession) {
		return false
	}
	if c.bySession == nil {
		c.bySession = map[int64]int{}
	}
	c.total++
	c.bySession[session]++
	return true
}

func (c *StreamCounter) Release(session int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total--
	if c.bySession[session]--; c.bySession[session] <= 0 {
		delete(c.bySession, session)
	}
}
