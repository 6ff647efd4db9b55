package broker

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagedeck/pagedeck/auth"
	"github.com/pagedeck/pagedeck/notion"
)

func goodEnv() map[string]string {
	return map[string]string{
		EnvClientID:     "notion-client",
		EnvClientSecret: "secret_sauce_123",
		EnvPublicURL:    "https://broker.example.com/",
		EnvKey:          base64.StdEncoding.EncodeToString(testKey(3)),
	}
}

func getenv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigFromEnv(t *testing.T) {
	env := goodEnv()
	env[EnvPreviousKey] = base64.StdEncoding.EncodeToString(testKey(4))
	env[EnvTrustedProxies] = "127.0.0.1, 10.0.0.0/8,::1"
	c, err := ConfigFromEnv(getenv(env))
	if err != nil {
		t.Fatal(err)
	}
	if c.ClientID != "notion-client" || c.ClientSecret != notion.Secret("secret_sauce_123") ||
		c.PublicURL != "https://broker.example.com" || c.NotionURL != notion.DefaultBaseURL || c.Listen != DefaultListen ||
		string(c.Key) != string(testKey(3)) || string(c.PreviousKey) != string(testKey(4)) || len(c.TrustedProxies) != 3 {
		t.Errorf("config = %+v", c)
	}
	if _, err := New(c); err != nil {
		t.Errorf("New: %v", err)
	}
}

func TestConfigMissing(t *testing.T) {
	for _, k := range []string{EnvClientID, EnvClientSecret, EnvPublicURL, EnvKey} {
		env := goodEnv()
		delete(env, k)
		_, err := ConfigFromEnv(getenv(env))
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("without %s: err = %v", k, err)
		}
		for other := range goodEnv() {
			if other != k && err != nil && strings.Contains(err.Error(), other) {
				t.Errorf("without %s the error also names %s: %v", k, other, err)
			}
		}
	}
	_, err := ConfigFromEnv(getenv(nil))
	for _, k := range []string{EnvClientID, EnvClientSecret, EnvPublicURL, EnvKey} {
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("with nothing set, %s is not named: %v", k, err)
		}
	}
	if err != nil && strings.Contains(err.Error(), "\n") {
		t.Errorf("the error spans lines: %q", err)
	}
}

func TestConfigBadValues(t *testing.T) {
	short := base64.StdEncoding.EncodeToString(testKey(3)[:16])
	long := base64.StdEncoding.EncodeToString(append(testKey(3), 0))
	urlSafe := strings.NewReplacer("+", "-", "/", "_").Replace(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\xfb\xff", 16))))
	cases := []struct {
		name, key, value, want string
	}{
		{"key not base64", EnvKey, "not base64 at all!", "32 bytes"},
		{"key short", EnvKey, short, "32 bytes"},
		{"key long", EnvKey, long, "32 bytes"},
		{"key url-safe alphabet", EnvKey, urlSafe, "32 bytes"},
		{"previous key short", EnvPreviousKey, short, EnvPreviousKey},
		{"public url http", EnvPublicURL, "http://broker.example.com", "https"},
		{"public url relative", EnvPublicURL, "/broker", EnvPublicURL},
		{"public url query", EnvPublicURL, "https://broker.example.com/?x=1", EnvPublicURL},
		{"notion url", EnvNotionURL, "ftp://notion", EnvNotionURL},
		{"listen", EnvListen, "8080", EnvListen},
		{"proxies", EnvTrustedProxies, "10.0.0.0/8, proxy.local", EnvTrustedProxies},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := goodEnv()
			env[c.key] = c.value
			_, err := ConfigFromEnv(getenv(env))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.key) {
				t.Fatalf("err = %v, want it to name %s and say %q", err, c.key, c.want)
			}
			if strings.Contains(c.key, "KEY") && strings.Contains(err.Error(), c.value) {
				t.Errorf("the error repeats the key: %v", err)
			}
			if strings.Contains(err.Error(), env[EnvClientSecret]) {
				t.Errorf("the error shows the client secret: %v", err)
			}
		})
	}
	// Plain http is fine on loopback, for development and tests.
	env := goodEnv()
	env[EnvPublicURL] = "http://127.0.0.1:8080"
	if _, err := ConfigFromEnv(getenv(env)); err != nil {
		t.Errorf("loopback http: %v", err)
	}
}

func TestConfigFiles(t *testing.T) {
	dir := t.TempDir()
	c, err := ConfigFromEnv(getenv(goodEnv()))
	if err != nil {
		t.Fatal(err)
	}
	c.PrivacyFile = filepath.Join(dir, "missing.html")
	if _, err := New(c); err == nil || !strings.Contains(err.Error(), EnvPrivacyFile) {
		t.Errorf("a missing privacy file: %v", err)
	}
	c.PrivacyFile = ""
	big := filepath.Join(dir, "terms.txt")
	if err := os.WriteFile(big, make([]byte, maxStaticBytes+1), 0o600); err != nil {
		t.Fatal(err)
	}
	c.TermsFile = big
	if _, err := New(c); err == nil || !strings.Contains(err.Error(), EnvTermsFile) {
		t.Errorf("a huge terms file: %v", err)
	}
}

func TestDesktopClientID(t *testing.T) {
	if DesktopClientID != auth.BrokerClientID {
		t.Errorf("the broker expects %q, the desktop sends %q", DesktopClientID, auth.BrokerClientID)
	}
}
