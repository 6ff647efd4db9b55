package app

import (
	"errors"
	"fmt"
)

// SettingCaptureTarget keeps the page that new pages from Quick Open go
// to when the person picks none: the hotkey, a title and Enter.
const SettingCaptureTarget = "capture.target"

// Target is the default capture target, or nil when none is set or the
// page it named is no longer listed (then it is as if none were set).
func (o Outbox) Target() (*Hit, error) {
	id, _, err := o.c.store.Setting(SettingCaptureTarget)
	if err != nil || id == "" {
		return nil, err
	}
	h, err := o.c.Item(id)
	if errors.Is(err, ErrUnknownItem) {
		return nil, nil
	}
	return h, err
}

// SetTarget makes the page id the default capture target; "" clears it.
func (o Outbox) SetTarget(id string) error {
	if id != "" {
		h, err := o.c.Item(id)
		if err != nil {
			return err
		}
		if h.Kind != KindPage {
			return fmt.Errorf("%w: %s", ErrNotAPage, h.Title)
		}
	}
	return o.c.store.SetSettings(map[string]string{SettingCaptureTarget: id})
}
