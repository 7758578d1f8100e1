-- The OAuth 2.0 authorization server. Secrets, codes and tokens are stored
-- only as SHA-256 digests.

-- Apps ("clients"), registered by a user in the apps tab.
CREATE TABLE oauth_clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash BLOB NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    website TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,               -- JSON array, as registered
    scope TEXT NOT NULL,                       -- space-separated, known names only
    require_pkce INTEGER NOT NULL DEFAULT 0,
    issued_at INTEGER NOT NULL
);
CREATE INDEX oauth_clients_user ON oauth_clients (user_id, id);

-- One consent turned into tokens: the code exchange and every refresh after
-- it. Revoking the grant ends all of its tokens.
CREATE TABLE oauth_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,                       -- what the refresh token may ask for
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX oauth_grants_user ON oauth_grants (user_id);
CREATE INDEX oauth_grants_client ON oauth_grants (client_id);

-- Authorization codes. A used code is kept until it expires, so that a
-- replay can be recognised and the tokens it produced revoked.
CREATE TABLE oauth_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code_hash BLOB NOT NULL UNIQUE,
    client_id INTEGER NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,                       -- the granted scope
    redirect_uri TEXT,                         -- only when the request named one
    code_challenge TEXT,
    code_challenge_method TEXT,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    grant_id INTEGER REFERENCES oauth_grants (id) ON DELETE SET NULL
);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);

-- Access and refresh tokens, issued in pairs. A refresh rotates the pair:
-- the old row gets `rotated_at` and both of its tokens stop working.
CREATE TABLE oauth_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grant_id INTEGER NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    access_hash BLOB NOT NULL UNIQUE,
    refresh_hash BLOB NOT NULL UNIQUE,
    scope TEXT NOT NULL,                       -- the access token's scope
    issued_at INTEGER NOT NULL,
    access_expires_at INTEGER NOT NULL,
    refresh_expires_at INTEGER NOT NULL,
    rotated_at INTEGER
);
CREATE INDEX oauth_tokens_grant ON oauth_tokens (grant_id);
CREATE INDEX oauth_tokens_refresh_expiry ON oauth_tokens (refresh_expires_at);
