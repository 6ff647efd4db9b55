// Package broker is Pagedeck's token broker: a small HTTP server that holds
// the Notion connection's client secret so the desktop app does not have to.
//
// Notion's OAuth has no PKCE and no public-client mode: every token call
// needs the secret, and a secret shipped inside a desktop app is a secret
// everyone has. The broker puts the secret on a server and speaks plain
// OAuth 2.0 (RFC 6749) with PKCE S256 (RFC 7636) to the desktop, whose side
// is auth.Broker:
//
//	desktop ──/authorize──▶ broker ──302──▶ Notion consent page
//	Notion  ──/callback───▶ broker ──302──▶ desktop loopback (sealed code)
//	desktop ──/token──────▶ broker ──JSON + client secret──▶ Notion
//	desktop ──/revoke─────▶ broker ──────────────────────────▶ Notion
//
// # Statelessness
//
// The broker keeps no session store. What it must remember between
// /authorize and /callback (the desktop's redirect URI, state and PKCE
// challenge) travels inside the state it hands Notion; what it must
// remember between /callback and /token (Notion's code, the redirect URI,
// the challenge) travels inside the code it hands the desktop. Both are
// sealed with AES-256-GCM under PAGEDECK_BROKER_KEY: encrypted, so the
// desktop never learns Notion's code and Notion never learns the desktop's
// state; authenticated, so neither can be altered; tagged with their
// purpose, so a state never passes as a code; and stamped with their own
// expiry (10 minutes for a state, 2 minutes for a code). Any number of
// instances that share the key can serve one flow behind a load balancer.
// Unsealing tries the current key, then PAGEDECK_BROKER_PREVIOUS_KEY, so
// the key can be rotated without breaking flows in progress.
//
// # Single use of states and codes
//
// Each instance keeps a small in-memory replay cache (bounded, pruned by
// expiry) of the sealed states it has opened at /callback and the Notion
// codes it has exchanged at /token, so within one instance a sealed state
// ends one sign-in and a sealed code works once. The cache is keyed by
// hashes, so it holds no state or code. It is not shared: a code replayed
// against a different instance within its 2-minute life passes that
// instance's cache and its PKCE check (the replayer needs the verifier
// too), and the broker forwards it to Notion. Notion's own codes are single
// use, so that second exchange fails at Notion with invalid_grant, which
// the broker passes on as 400 invalid_grant; no second token pair is ever
// issued. Notion may, like the emulator in notiontest and as RFC 6749
// section 4.1.2 suggests, also revoke the grant the first exchange gave.
// The cache spares Notion the replays an instance can see itself, and makes
// the broker's answer to them independent of what Notion does.
//
// # What it never writes down
//
// Logs are one JSON line per request (method, path without the query,
// status, duration, remote address, and short reason codes); never a
// token, a code (Notion's or sealed), a verifier, a state or the client
// secret. Error descriptions sent to clients are fixed strings for the same
// reason. URL settings are logged and quoted in errors with their userinfo
// redacted.
package broker
