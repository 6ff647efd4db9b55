package broker

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func mustSealer(t *testing.T, keys ...[]byte) *sealer {
	t.Helper()
	s, err := newSealer(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealRoundTrip(t *testing.T) {
	s := mustSealer(t, testKey(1))
	now := time.Now()
	in := codePayload{Code: "notion-code", RedirectURI: testRedirect, Challenge: "challenge"}
	a, err := s.seal(purposeCode, in, now.Add(CodeTTL))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.seal(purposeCode, in, now.Add(CodeTTL))
	if a == b {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	for _, v := range []string{in.Code, in.RedirectURI, in.Challenge} {
		if strings.Contains(a, v) || strings.Contains(a, base64.RawURLEncoding.EncodeToString([]byte(v))) {
			t.Errorf("the sealed value shows %q", v)
		}
	}
	var out codePayload
	if err := s.open(purposeCode, a, now, &out); err != nil || out != in {
		t.Fatalf("open = %+v, %v", out, err)
	}
}

func TestSealTamper(t *testing.T) {
	s := mustSealer(t, testKey(1))
	now := time.Now()
	sealed, _ := s.seal(purposeState, statePayload{RedirectURI: testRedirect, State: "s", Challenge: "c"}, now.Add(StateTTL))
	raw, _ := base64.RawURLEncoding.DecodeString(sealed)
	for i := range raw {
		for _, bit := range []byte{0x01, 0x80} {
			bad := append([]byte(nil), raw...)
			bad[i] ^= bit
			var out statePayload
			if err := s.open(purposeState, base64.RawURLEncoding.EncodeToString(bad), now, &out); !errors.Is(err, errSealedInvalid) {
				t.Fatalf("flipping bit %#x of byte %d: err = %v", bit, i, err)
			}
		}
	}
	// Cut short, lengthened, or not base64 at all.
	for _, bad := range []string{sealed[:len(sealed)-1], sealed[:20], sealed + "AA", "", "!!!!", strings.Repeat("A", maxSealed+1), sealed + "="} {
		var out statePayload
		if err := s.open(purposeState, bad, now, &out); !errors.Is(err, errSealedInvalid) {
			t.Errorf("%.30q…: err = %v", bad, err)
		}
	}
	// Another format version.
	v2 := append([]byte{2}, raw[1:]...)
	var out statePayload
	if err := s.open(purposeState, base64.RawURLEncoding.EncodeToString(v2), now, &out); !errors.Is(err, errSealedInvalid) {
		t.Errorf("version 2: %v", err)
	}
}

func TestSealExpiry(t *testing.T) {
	s := mustSealer(t, testKey(1))
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	sealed, _ := s.seal(purposeCode, codePayload{Code: "x"}, now.Add(CodeTTL))
	var out codePayload
	if err := s.open(purposeCode, sealed, now.Add(CodeTTL-time.Millisecond), &out); err != nil {
		t.Errorf("just before expiry: %v", err)
	}
	if err := s.open(purposeCode, sealed, now.Add(CodeTTL), &out); !errors.Is(err, errSealedExpired) {
		t.Errorf("at expiry: %v", err)
	}
	if err := s.open(purposeCode, sealed, now.Add(time.Hour), &out); !errors.Is(err, errSealedExpired) {
		t.Errorf("an hour later: %v", err)
	}
}

func TestSealWrongPurpose(t *testing.T) {
	s := mustSealer(t, testKey(1))
	now := time.Now()
	state, _ := s.seal(purposeState, statePayload{State: "s"}, now.Add(StateTTL))
	code, _ := s.seal(purposeCode, codePayload{Code: "c"}, now.Add(CodeTTL))
	var cp codePayload
	if err := s.open(purposeCode, state, now, &cp); !errors.Is(err, errSealedInvalid) {
		t.Errorf("a state opened as a code: %v", err)
	}
	var sp statePayload
	if err := s.open(purposeState, code, now, &sp); !errors.Is(err, errSealedInvalid) {
		t.Errorf("a code opened as a state: %v", err)
	}
}

func TestSealPreviousKey(t *testing.T) {
	oldKey, newKey := testKey(1), testKey(2)
	now := time.Now()
	before := mustSealer(t, oldKey)
	sealedOld, _ := before.seal(purposeState, statePayload{State: "s"}, now.Add(StateTTL))

	rotated := mustSealer(t, newKey, oldKey)
	var out statePayload
	if err := rotated.open(purposeState, sealedOld, now, &out); err != nil || out.State != "s" {
		t.Fatalf("the previous key does not open: %+v %v", out, err)
	}
	// What the rotated sealer seals uses the new key.
	sealedNew, _ := rotated.seal(purposeState, statePayload{State: "n"}, now.Add(StateTTL))
	if err := before.open(purposeState, sealedNew, now, &out); !errors.Is(err, errSealedInvalid) {
		t.Errorf("the old key opened a value sealed after the rotation: %v", err)
	}
	if err := mustSealer(t, newKey).open(purposeState, sealedNew, now, &out); err != nil {
		t.Errorf("the new key alone: %v", err)
	}
	// Once the previous key is dropped, old values no longer open.
	if err := mustSealer(t, newKey).open(purposeState, sealedOld, now, &out); !errors.Is(err, errSealedInvalid) {
		t.Errorf("a value of a dropped key opened: %v", err)
	}
	if _, err := newSealer([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
	if _, err := newSealer(); err == nil {
		t.Error("no key was accepted")
	}
}
