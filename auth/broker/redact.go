package broker

import "net/url"

// redactURL is raw fit for a message or a log line: a password in its
// userinfo becomes "xxxxx" (url.URL.Redacted), and so does a user name
// given without a password, which some URLs (Redis's among them) use as the
// password. A value that does not parse is not repeated at all.
func redactURL(raw string) string {
	if raw == "" {
		return `""`
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(a value that is not a URL)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); !has {
			u.User = url.User("xxxxx")
		}
	}
	return u.Redacted()
}
