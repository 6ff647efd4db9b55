package ui

import (
	"context"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/pagedeck/pagedeck/app/icons"
	"github.com/pagedeck/pagedeck/assets"
	"github.com/pagedeck/pagedeck/assets/twemoji"
)

// iconSize is the side of an item's or a workspace's icon.
const iconSize = 24

func appIcon() fyne.Resource { return fyne.NewStaticResource("pagedeck.png", assets.IconPNG) }

// iconStore turns an icon as Notion gives it ("", an emoji, or an image URL)
// into something to draw. Emoji come from the bundled Twemoji set, so they
// look right whatever fonts the system has; images come from the disk cache
// or are fetched in the background, and the views redraw once they arrive.
// Used on the UI goroutine only.
type iconStore struct {
	ctx        context.Context
	cache      *icons.Cache
	do         func(func())
	background func(func())
	onArrive   func()

	images  map[string]fyne.Resource // by icons.Key; nil: failed, never retried this run
	pending bool                     // a redraw is scheduled
}

func newIconStore(ctx context.Context, cache *icons.Cache, do, background func(func()), onArrive func()) *iconStore {
	return &iconStore{ctx: ctx, cache: cache, do: do, background: background, onArrive: onArrive, images: map[string]fyne.Resource{}}
}

// resource is the picture for icon, or fallback while an image loads, when
// it failed, or when there is none.
func (s *iconStore) resource(icon string, expires bool, fallback fyne.Resource) fyne.Resource {
	switch {
	case icon == "":
		return fallback
	case !strings.Contains(icon, "://"):
		if r := emojiResource(icon); r != nil {
			return r
		}
		return fallback
	}
	key := icons.Key(icon, expires)
	if r, seen := s.images[key]; seen {
		if r == nil {
			return fallback
		}
		return r
	}
	if s.cache == nil {
		return fallback
	}
	s.images[key] = nil // until it arrives; also stops repeat fetches
	cache := s.cache
	s.background(func() {
		data, err := cache.Get(s.ctx, icon, expires)
		if err != nil {
			return
		}
		format, err := icons.Format(data)
		if err != nil {
			return
		}
		res := fyne.NewStaticResource(key+"."+format, data)
		s.do(func() {
			s.images[key] = res
			s.scheduleRedraw()
		})
	})
	return fallback
}

// warmBytes bounds the thumbnails warm holds: the newest few thousand
// icons, a few megabytes.
const warmBytes = 8 << 20

// warm reads the thumbnails on disk into memory off the UI goroutine, so
// an icon seen in an earlier run is drawn with its row's first paint rather
// than by a second one a moment later (typing showed it: a quarter of the
// keys repainted twice, each time for an icon).
func (s *iconStore) warm() {
	if s.cache == nil {
		return
	}
	cache := s.cache
	s.background(func() {
		got := map[string]fyne.Resource{}
		_ = cache.Thumbnails(s.ctx, warmBytes, func(key string, png []byte) {
			got[key] = fyne.NewStaticResource(key+".png", png)
		})
		if len(got) == 0 {
			return
		}
		s.do(func() {
			redraw := false
			for key, res := range got {
				if r, seen := s.images[key]; !seen || r == nil {
					// seen with nil: a row asked while this ran; its own read
					// is on the way, and this one is as good.
					redraw = redraw || seen
					s.images[key] = res
				}
			}
			if redraw {
				s.scheduleRedraw()
			}
		})
	})
}

// scheduleRedraw redraws the views once for a burst of arriving icons.
func (s *iconStore) scheduleRedraw() {
	if s.pending {
		return
	}
	s.pending = true
	s.background(func() {
		if !sleep(s.ctx, 120*time.Millisecond) {
			return
		}
		s.do(func() {
			s.pending = false
			s.onArrive()
		})
	})
}

var emojiCache sync.Map // emoji → fyne.Resource, or nil when there is no image

// emojiResource is the Twemoji image of an emoji, or nil.
func emojiResource(emoji string) fyne.Resource {
	if r, ok := emojiCache.Load(emoji); ok {
		res, _ := r.(fyne.Resource)
		return res
	}
	name, svg, ok := twemoji.Lookup(emoji)
	var res fyne.Resource
	if ok {
		res = fyne.NewStaticResource("emoji-"+name+".svg", svg)
	}
	emojiCache.Store(emoji, res)
	return res
}

// iconBox is an icon in a fixed square, so rows line up whatever the image.
func iconBox() (*widget.Icon, fyne.CanvasObject) {
	ic := widget.NewIcon(nil)
	return ic, container.NewGridWrap(fyne.NewSquareSize(iconSize), ic)
}
