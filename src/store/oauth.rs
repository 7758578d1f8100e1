//! OAuth clients, codes, grants and tokens. Secrets arrive here already
//! hashed (SHA-256); nothing in these tables can be replayed if leaked.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Error;
use super::users::auth_user_from_row;
use crate::oauth::model::{AccessToken, Client, Code, GrantSummary, NewApp, RefreshToken};

pub struct NewClient<'a> {
    pub client_id: &'a str,
    pub secret_hash: &'a [u8],
    pub user_id: i64,
    /// As registered: checked and cleaned.
    pub app: &'a NewApp<'a>,
    pub now: i64,
}

const CLIENT_COLUMNS: &str = "id, client_id, secret_hash, user_id, name, description, website, redirect_uris, \
    scope, require_pkce, issued_at";

fn client_from_row(row: &Row<'_>) -> Result<Client, Error> {
    let uris: String = row.get("redirect_uris")?;
    Ok(columns!(row => Client {
        id,
        client_id,
        secret_hash,
        user_id,
        name,
        description,
        website,
        redirect_uris: serde_json::from_str(&uris).unwrap_or_default(),
        scope,
        require_pkce,
        issued_at,
    }))
}

pub fn insert_client(conn: &Connection, new: &NewClient<'_>) -> Result<i64, Error> {
    let app = new.app;
    let uris = serde_json::to_string(app.redirect_uris).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "INSERT INTO oauth_clients (client_id, secret_hash, user_id, name, description, website, \
         redirect_uris, scope, require_pkce, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            new.client_id,
            new.secret_hash,
            new.user_id,
            app.name,
            app.description,
            app.website,
            uris,
            app.scope,
            app.require_pkce,
            new.now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn client_by_client_id(conn: &Connection, client_id: &str) -> Result<Option<Client>, Error> {
    conn.prepare_cached(&format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE client_id = ?1"))?
        .query_row([client_id], client_from_row)
        .optional()
}

pub fn client_by_id(conn: &Connection, id: i64) -> Result<Option<Client>, Error> {
    conn.prepare_cached(&format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE id = ?1"))?
        .query_row([id], client_from_row)
        .optional()
}

/// A page of the user's apps, newest first.
pub fn clients_of_user(conn: &Connection, user_id: i64, limit: i64, offset: i64) -> Result<Vec<Client>, Error> {
    conn.prepare_cached(&format!(
        "SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"
    ))?
    .query_map(params![user_id, limit, offset], client_from_row)?
    .collect()
}

pub fn count_clients_of_user(conn: &Connection, user_id: i64) -> Result<i64, Error> {
    conn.prepare_cached("SELECT count(*) FROM oauth_clients WHERE user_id = ?1")?.query_row([user_id], |r| r.get(0))
}

/// Deletes the app; its codes, grants and tokens go with it (foreign keys).
pub fn delete_client(conn: &Connection, id: i64) -> Result<(), Error> {
    conn.execute("DELETE FROM oauth_clients WHERE id = ?1", [id])?;
    Ok(())
}

/// Ends every grant (and so every token) of the app.
pub fn revoke_client_grants(conn: &Connection, client_id: i64, now: i64) -> Result<usize, Error> {
    conn.execute(
        "UPDATE oauth_grants SET revoked_at = ?2 WHERE client_id = ?1 AND revoked_at IS NULL",
        params![client_id, now],
    )
}

pub struct NewCode<'a> {
    pub code_hash: &'a [u8],
    pub client_id: i64,
    pub user_id: i64,
    pub scope: &'a str,
    pub redirect_uri: Option<&'a str>,
    pub code_challenge: Option<&'a str>,
    pub code_challenge_method: Option<&'a str>,
    pub now: i64,
    pub expires_at: i64,
}

pub fn insert_code(conn: &Connection, new: &NewCode<'_>) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO oauth_codes (code_hash, client_id, user_id, scope, redirect_uri, code_challenge, \
         code_challenge_method, issued_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        new.code_hash,
        new.client_id,
        new.user_id,
        new.scope,
        new.redirect_uri,
        new.code_challenge,
        new.code_challenge_method,
        new.now,
        new.expires_at
    ])?;
    Ok(())
}

pub fn code_by_hash(conn: &Connection, code_hash: &[u8]) -> Result<Option<Code>, Error> {
    conn.prepare_cached(
        "SELECT id, client_id, user_id, scope, redirect_uri, code_challenge, code_challenge_method, \
         expires_at, used_at, grant_id FROM oauth_codes WHERE code_hash = ?1",
    )?
    .query_row([code_hash], |row| {
        Ok(Code {
            id: row.get("id")?,
            client_id: row.get("client_id")?,
            user_id: row.get("user_id")?,
            scope: row.get("scope")?,
            redirect_uri: row.get("redirect_uri")?,
            code_challenge: row.get("code_challenge")?,
            code_challenge_method: row.get("code_challenge_method")?,
            expires_at: row.get("expires_at")?,
            used_at: row.get("used_at")?,
            grant_id: row.get("grant_id")?,
        })
    })
    .optional()
}

/// Marks the code used, in one statement: true only for the one caller
/// that found it unused.
pub fn consume_code(conn: &Connection, code_id: i64, now: i64) -> Result<bool, Error> {
    let changed = conn
        .prepare_cached("UPDATE oauth_codes SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL")?
        .execute(params![code_id, now])?;
    Ok(changed == 1)
}

pub fn set_code_grant(conn: &Connection, code_id: i64, grant_id: i64) -> Result<(), Error> {
    conn.prepare_cached("UPDATE oauth_codes SET grant_id = ?2 WHERE id = ?1")?.execute(params![code_id, grant_id])?;
    Ok(())
}

pub fn insert_grant(conn: &Connection, client_id: i64, user_id: i64, scope: &str, now: i64) -> Result<i64, Error> {
    conn.prepare_cached("INSERT INTO oauth_grants (client_id, user_id, scope, created_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![client_id, user_id, scope, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn revoke_grant(conn: &Connection, grant_id: i64, now: i64) -> Result<(), Error> {
    conn.prepare_cached("UPDATE oauth_grants SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")?
        .execute(params![grant_id, now])?;
    Ok(())
}

/// Ends a grant of `user_id` (the apps tab); false when it is not theirs.
pub fn revoke_user_grant(conn: &Connection, grant_id: i64, user_id: i64, now: i64) -> Result<bool, Error> {
    let changed = conn.execute(
        "UPDATE oauth_grants SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL",
        params![grant_id, user_id, now],
    )?;
    Ok(changed == 1)
}

/// Ends every grant of the user (password change, account events).
pub fn revoke_user_grants(conn: &Connection, user_id: i64, now: i64) -> Result<usize, Error> {
    conn.execute(
        "UPDATE oauth_grants SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        params![user_id, now],
    )
}

/// Deletes the user's codes that were never exchanged (a used code stays,
/// so that its replay is still recognised).
pub fn delete_unredeemed_codes(conn: &Connection, user_id: i64) -> Result<usize, Error> {
    conn.prepare_cached("DELETE FROM oauth_codes WHERE user_id = ?1 AND used_at IS NULL")?.execute([user_id])
}

pub struct NewTokens<'a> {
    pub grant_id: i64,
    pub access_hash: &'a [u8],
    pub refresh_hash: &'a [u8],
    pub scope: &'a str,
    pub now: i64,
    pub access_expires_at: i64,
    pub refresh_expires_at: i64,
}

pub fn insert_tokens(conn: &Connection, new: &NewTokens<'_>) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO oauth_tokens (grant_id, access_hash, refresh_hash, scope, issued_at, access_expires_at, \
         refresh_expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        new.grant_id,
        new.access_hash,
        new.refresh_hash,
        new.scope,
        new.now,
        new.access_expires_at,
        new.refresh_expires_at
    ])?;
    Ok(())
}

pub fn refresh_token(conn: &Connection, refresh_hash: &[u8]) -> Result<Option<RefreshToken>, Error> {
    conn.prepare_cached(
        "SELECT t.id AS token_id, t.grant_id, g.client_id, g.scope AS grant_scope, t.refresh_expires_at, \
         t.rotated_at, g.revoked_at IS NOT NULL AS grant_revoked FROM oauth_tokens t \
         JOIN oauth_grants g ON g.id = t.grant_id WHERE t.refresh_hash = ?1",
    )?
    .query_row([refresh_hash], |row| {
        Ok(RefreshToken {
            token_id: row.get("token_id")?,
            grant_id: row.get("grant_id")?,
            client_id: row.get("client_id")?,
            grant_scope: row.get("grant_scope")?,
            refresh_expires_at: row.get("refresh_expires_at")?,
            rotated_at: row.get("rotated_at")?,
            grant_revoked: row.get("grant_revoked")?,
        })
    })
    .optional()
}

/// Retires a token pair, in one statement: true only for the one caller
/// that found it current.
pub fn rotate(conn: &Connection, token_id: i64, now: i64) -> Result<bool, Error> {
    let changed = conn
        .prepare_cached("UPDATE oauth_tokens SET rotated_at = ?2 WHERE id = ?1 AND rotated_at IS NULL")?
        .execute(params![token_id, now])?;
    Ok(changed == 1)
}

/// The grant and app of an access or refresh token, whatever its state (revocation).
pub fn grant_of_token(conn: &Connection, token_hash: &[u8]) -> Result<Option<(i64, i64)>, Error> {
    conn.prepare_cached(
        "SELECT g.id, g.client_id FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id \
         WHERE t.access_hash = ?1 OR t.refresh_hash = ?1",
    )?
    .query_row([token_hash], |row| Ok((row.get("id")?, row.get("client_id")?)))
    .optional()
}

pub fn live_access_token(conn: &Connection, access_hash: &[u8], now: i64) -> Result<Option<AccessToken>, Error> {
    conn.prepare_cached(
        "SELECT u.id, u.username, u.role, u.is_active, u.suspended_at, t.grant_id, t.scope, g.last_used_at \
         FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id JOIN users u ON u.id = g.user_id \
         WHERE t.access_hash = ?1 AND t.access_expires_at > ?2 AND t.rotated_at IS NULL AND g.revoked_at IS NULL",
    )?
    .query_row(params![access_hash, now], |row| {
        Ok(AccessToken {
            user: auth_user_from_row(row)?,
            grant_id: row.get("grant_id")?,
            scope: row.get("scope")?,
            last_used_at: row.get("last_used_at")?,
        })
    })
    .optional()
}

pub fn touch_grant(conn: &Connection, grant_id: i64, now: i64) -> Result<(), Error> {
    conn.prepare_cached("UPDATE oauth_grants SET last_used_at = ?2 WHERE id = ?1")?.execute(params![grant_id, now])?;
    Ok(())
}

/// The user's grants that can still produce working tokens, newest first.
pub fn live_grants_of_user(conn: &Connection, user_id: i64, now: i64) -> Result<Vec<GrantSummary>, Error> {
    conn.prepare_cached(
        "SELECT g.id, c.name AS app_name, c.website AS app_website, u.username AS owner, g.scope, g.created_at, \
         g.last_used_at \
         FROM oauth_grants g JOIN oauth_clients c ON c.id = g.client_id JOIN users u ON u.id = c.user_id \
         WHERE g.user_id = ?1 AND g.revoked_at IS NULL \
         AND EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = g.id AND t.rotated_at IS NULL \
                     AND t.refresh_expires_at > ?2) \
         ORDER BY g.id DESC",
    )?
    .query_map(params![user_id, now], |row| {
        Ok(GrantSummary {
            id: row.get("id")?,
            app_name: row.get("app_name")?,
            app_website: row.get("app_website")?,
            owner: row.get("owner")?,
            scope: row.get("scope")?,
            created_at: row.get("created_at")?,
            last_used_at: row.get("last_used_at")?,
        })
    })?
    .collect()
}

/// Deletes tokens whose refresh lifetime ended before `before`, codes that
/// expired before `now` (used ones are kept until then for replay
/// detection), and grants left without tokens that can no longer be used.
pub fn clean(conn: &Connection, before: i64, now: i64) -> Result<(usize, usize), Error> {
    let tokens = conn.execute("DELETE FROM oauth_tokens WHERE refresh_expires_at < ?1", [before])?;
    let codes = conn.execute("DELETE FROM oauth_codes WHERE expires_at <= ?1", [now])?;
    conn.execute(
        "DELETE FROM oauth_grants WHERE NOT EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.grant_id = oauth_grants.id) \
         AND NOT EXISTS (SELECT 1 FROM oauth_codes c WHERE c.grant_id = oauth_grants.id)",
        [],
    )?;
    Ok((tokens, codes))
}
