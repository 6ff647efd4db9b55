package broker

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Purposes of sealed values. The purpose is authenticated data, so a value
// sealed for one purpose never opens for another.
const (
	purposeState = "state"
	purposeCode  = "code"
)

// sealVersion leads every sealed value, so the format can change later
// without old values being misread.
const sealVersion byte = 1

// maxSealed bounds a sealed value (characters): open does not try longer
// ones, and /authorize refuses a request whose state would be longer.
const maxSealed = 8192

// Errors of open. They say what went wrong without echoing the value.
var (
	errSealedInvalid = errors.New("the value is malformed, altered or sealed under an unknown key")
	errSealedExpired = errors.New("the value has expired")
)

// sealer seals and opens values with AES-256-GCM. The first AEAD seals; all
// open, in order (the current key, then the previous one).
type sealer struct {
	aeads []cipher.AEAD
}

func newSealer(keys ...[]byte) (*sealer, error) {
	s := &sealer{}
	for _, k := range keys {
		if k == nil {
			continue
		}
		if len(k) != KeySize {
			return nil, fmt.Errorf("a sealing key must be %d bytes", KeySize)
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		s.aeads = append(s.aeads, aead)
	}
	if len(s.aeads) == 0 {
		return nil, errors.New("no sealing key")
	}
	return s, nil
}

// additionalData binds the version and purpose to the ciphertext.
func additionalData(purpose string) []byte {
	return []byte("pagedeck-broker/v" + strconv.Itoa(int(sealVersion)) + "/" + purpose)
}

// seal encrypts v (as JSON) with its expiry and returns it base64url-encoded
// without padding: version | nonce | ciphertext+tag. The expiry, in unix
// milliseconds, is inside the ciphertext.
func (s *sealer) seal(purpose string, v any, exp time.Time) (string, error) {
	// The expiry first, then the JSON (without HTML escaping, which only
	// makes it longer).
	var buf bytes.Buffer
	var stamp [8]byte
	binary.BigEndian.PutUint64(stamp[:], uint64(exp.UnixMilli()))
	buf.Write(stamp[:])
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	plain := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))

	aead := s.aeads[0]
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	out = aead.Seal(out, out[1:1+aead.NonceSize()], plain, additionalData(purpose))
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// open reverses seal into v. It fails when the value was altered, sealed
// for another purpose or under a key it does not have, or has expired at now.
func (s *sealer) open(purpose, sealed string, now time.Time, v any) error {
	if sealed == "" || len(sealed) > maxSealed {
		return errSealedInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(raw) < 1 || raw[0] != sealVersion {
		return errSealedInvalid
	}
	for _, aead := range s.aeads {
		ns := aead.NonceSize()
		if len(raw) < 1+ns+aead.Overhead()+8 {
			return errSealedInvalid
		}
		plain, err := aead.Open(nil, raw[1:1+ns], raw[1+ns:], additionalData(purpose))
		if err != nil {
			continue
		}
		exp := time.UnixMilli(int64(binary.BigEndian.Uint64(plain)))
		if !now.Before(exp) {
			return errSealedExpired
		}
		if err := json.Unmarshal(plain[8:], v); err != nil {
			// Authentic but unreadable: a format this build does not know.
			return errSealedInvalid
		}
		return nil
	}
	return errSealedInvalid
}

// statePayload is what the broker needs back at /callback.
type statePayload struct {
	RedirectURI string `json:"r"`
	State       string `json:"s"`
	Challenge   string `json:"c"`
}

// codePayload is what the broker needs at /token. Code is Notion's.
type codePayload struct {
	Code        string `json:"n"`
	RedirectURI string `json:"r"`
	Challenge   string `json:"c"`
}
