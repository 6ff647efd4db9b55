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
//	Notion  ──/webhooks/notion──▶ broker ──(Redis)──▶ every instance
//	desktop ◀─/events (SSE)────── broker
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
// A sealed state opened at /callback and a Notion code exchanged at /token
// are marked used, under a hash, until they expire. Where the marks live is
// the sharedState: without PAGEDECK_BROKER_REDIS_URL, a bounded, pruned
// cache in this instance's memory (so within one instance a state ends one
// sign-in and a code works once; a code replayed against another instance
// passes that instance's cache and PKCE check and is refused by Notion,
// whose codes are single use: no second token pair is ever issued); with
// it, Redis (SET NX; an atomic claim for codes), so every instance refuses
// what any has used, before Notion. A mark the broker cannot check is a 503,
// never a skipped check. The per-client rate limits live there too
// (redis_rate's GCRA), falling back to the instance's own buckets while
// Redis is away.
//
// # Live updates
//
// POST /webhooks/notion takes the connection's webhook subscription:
// signature checked (HMAC-SHA256 with PAGEDECK_BROKER_WEBHOOK_TOKEN, in
// constant time), the one-time verification token logged for the
// operator, each event stored once with only its id, type, workspace,
// entity and the bots in accessible_by. The events go to an eventLog (a
// Redis stream every instance follows, or a ring in memory) and from it to
// the hub, which hands each to the GET /events streams of its workspace
// that may see it. A desktop authenticates a stream with its access token,
// checked once with Notion's users/me and cached by hash; it resumes with
// Last-Event-ID, which is a stream id any instance understands. One token
// holds at most LiveOptions.MaxStreamsPerToken streams, so that a token
// used from many addresses cannot take the instance's MaxStreams.
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
