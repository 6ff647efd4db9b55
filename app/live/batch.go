package live

import (
	"context"
	"time"
)

// maxLiveBatch: past this many changed items in one burst, one quick sync
// is cheaper than one request per item.
const maxLiveBatch = 25

// applyLoop gathers the changes a stream delivers and refreshes them in
// batches: the first change waits Debounce for the rest of its burst.
func applyLoop(ctx context.Context, h Host, wsID string, changes <-chan change, o Options) {
	for {
		first, ok := <-changes
		if !ok {
			return
		}
		batch := []change{first}
		timer := time.NewTimer(o.Debounce)
	gather:
		for {
			select {
			case ch, ok := <-changes:
				if !ok {
					timer.Stop()
					break gather
				}
				batch = append(batch, ch)
			case <-timer.C:
				break gather
			}
		}
		if ctx.Err() != nil {
			// Drain until the stream closes the channel.
			for range changes {
			}
			return
		}
		if err := apply(ctx, h, wsID, batch); err != nil && ctx.Err() == nil {
			h.Log().Warn("live: update failed; the next refresh will catch up", "workspace", wsID, "err", err)
		}
	}
}

// apply refreshes what a batch of changes names: each item's current state
// (Notion's events are signals, not content, and may come out of order).
// Anything that cannot be mapped to an item (a database container, a
// reset, too many at once) becomes a quick sync.
func apply(ctx context.Context, h Host, wsID string, batch []change) error {
	var targets []Target
	seen := map[string]bool{}
	resync := false
	for _, ch := range batch {
		switch {
		case ch.reset || ch.entityType == "database":
			resync = true
		case !seen[ch.entityID]:
			seen[ch.entityID] = true
			targets = append(targets, Target{ID: ch.entityID, Kind: ch.entityType})
		}
	}
	if resync || len(targets) > maxLiveBatch {
		return h.QuickSync(ctx, wsID)
	}
	return h.Refresh(ctx, wsID, targets)
}
