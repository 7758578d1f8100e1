//! Token revocation (RFC 7009). Revoking either token of a pair ends the
//! grant it belongs to, so the refresh token dies with its access token and
//! the other way round. `token_type_hint` is only a hint: both kinds are
//! always searched.

use super::clients::{self, Credentials};
use super::{Error, OAuthError};
use crate::crypto::sha256;
use crate::store::Db;
use crate::store::oauth as store;

pub struct RevokeRequest<'a> {
    pub credentials: Credentials,
    pub token: Option<&'a str>,
}

pub fn revoke(db: &mut Db<'_>, req: &RevokeRequest<'_>, now: i64) -> Result<(), Error> {
    let client = clients::authenticate(db, &req.credentials)?;
    let token = req.token.ok_or_else(|| OAuthError::new("invalid_request", None))?;
    let hash = sha256(token.as_bytes());
    db.write(|tx| {
        match store::grant_of_token(tx, &hash)? {
            // Unknown tokens are not an error (§2.2): nothing to do.
            None => Ok(Ok(())),
            // Another app's token is refused and left alone (FitTrackee answers invalid_grant).
            Some((_, owner)) if owner != client.id => Ok(Err(OAuthError::invalid_grant(None))),
            Some((grant_id, _)) => store::revoke_grant(tx, grant_id, now).map(Ok),
        }
    })?
    .map_err(Error::OAuth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::oauth::token::{self, TokenRequest, Tokens};
    use crate::oauth::{authorize, clients::NewApp};
    use crate::store::test_support::temp_store;

    fn issue_for(db: &mut Db<'_>, app: &(String, String)) -> Tokens {
        let config = Config::default().oauth;
        let query = format!("client_id={}&response_type=code", app.0);
        let auth = authorize::validate(db, &crate::oauth::authorize::tests::request(&query)).unwrap().unwrap();
        let code = auth.issue_code(db, 1, 10, 300).unwrap();
        let req = TokenRequest {
            grant_type: Some("authorization_code"),
            credentials: creds(app),
            code: Some(&code),
            redirect_uri: None,
            code_verifier: None,
            refresh_token: None,
            scope: None,
        };
        token::issue(db, &req, 11, &config).unwrap()
    }

    fn creds(app: &(String, String)) -> Credentials {
        Credentials { client_id: Some(app.0.clone()), secret: Some(app.1.clone()), basic: false }
    }

    fn works(db: &Db<'_>, tokens: &Tokens) -> bool {
        store::live_access_token(db, &sha256(tokens.access_token.as_bytes()), 12).unwrap().is_some()
    }

    #[test]
    fn revocation_by_either_token_ends_the_pair_and_unknown_tokens_are_fine() {
        let (_dir, storage) = temp_store();
        let mut db = storage.conn().unwrap();
        db.execute("INSERT INTO users (username, email, password_hash, created_at) VALUES ('u', 'u@x.y', 'h', 0)", [])
            .unwrap();
        let uris = vec!["https://a.example/cb".to_string()];
        let mut apps = Vec::new();
        for _ in 0..2 {
            let new = NewApp {
                name: "A",
                description: None,
                website: "",
                redirect_uris: &uris,
                scope: "profile:read",
                require_pkce: false,
            };
            let r = clients::register(&mut db, 1, &new, false, 1).unwrap().unwrap();
            apps.push((r.client.client_id, r.secret));
        }
        let by_refresh = issue_for(&mut db, &apps[0]);
        let by_access = issue_for(&mut db, &apps[0]);
        fn request<'t>(token: &'t str, app: &(String, String)) -> RevokeRequest<'t> {
            RevokeRequest { credentials: creds(app), token: Some(token) }
        }
        // Another app cannot revoke it.
        assert!(
            matches!(revoke(&mut db, &request(&by_refresh.refresh_token, &apps[1]), 12), Err(Error::OAuth(e)) if e.code == "invalid_grant")
        );
        assert!(works(&db, &by_refresh));
        revoke(&mut db, &request(&by_refresh.refresh_token, &apps[0]), 12).unwrap();
        assert!(!works(&db, &by_refresh), "revoking the refresh token ends its access token");
        revoke(&mut db, &request(&by_access.access_token, &apps[0]), 12).unwrap();
        assert!(!works(&db, &by_access));
        assert!(store::refresh_token(&db, &sha256(by_access.refresh_token.as_bytes())).unwrap().unwrap().grant_revoked);
        revoke(&mut db, &request("never-issued", &apps[0]), 12).unwrap();
        let missing = RevokeRequest { credentials: creds(&apps[0]), token: None };
        assert!(matches!(revoke(&mut db, &missing, 12), Err(Error::OAuth(e)) if e.code == "invalid_request"));
    }
}
