//! A live FitTrackee server (or this one): signed in with the user's
//! credentials or a token, every workout listed through the API, each file
//! fetched when its turn comes, sports mapped by label.

use serde_json::{Value, json};

use super::archive::{create_equipment, fields_of, http_date, manual};
use super::{Item, What};
use crate::accounts::user::User;
use crate::store::Db;

const MOST_BYTES: u64 = 256 << 20;
const PER_PAGE: usize = 100;

pub struct Credentials {
    /// The server's address: `https://fittrackee.example`.
    pub url: String,
    pub email: Option<String>,
    pub password: Option<String>,
    /// A token instead of a password (FitTrackee's or an app's, with
    /// `workouts:read` and `equipments:read`).
    pub token: Option<String>,
}

pub struct Client {
    agent: ureq::Agent,
    base: String,
    token: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(std::time::Duration::from_secs(10)))
        .timeout_global(Some(std::time::Duration::from_secs(300)))
        .http_status_as_error(false)
        .user_agent(concat!("fittrackee-rs/", env!("CARGO_PKG_VERSION"), " (import)"))
        .build()
        .into()
}

impl Client {
    pub fn sign_in(credentials: &Credentials) -> Result<Client, String> {
        let base = credentials.url.trim_end_matches('/').to_string();
        if !base.starts_with("http://") && !base.starts_with("https://") {
            return Err(format!("--from takes the server's address (http:// or https://), not {base:?}"));
        }
        let agent = agent();
        let token = match (&credentials.token, &credentials.email, &credentials.password) {
            (Some(token), _, _) => token.clone(),
            (None, Some(email), Some(password)) => {
                let body = json!({ "email": email, "password": password });
                let mut answer = agent
                    .post(&format!("{base}/api/auth/login"))
                    .header("Content-Type", "application/json")
                    .send(body.to_string())
                    .map_err(|e| format!("{base}: {e}"))?;
                let status = answer.status().as_u16();
                let text = answer.body_mut().read_to_string().map_err(|e| e.to_string())?;
                let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                match value["auth_token"].as_str() {
                    Some(token) if status == 200 => token.to_string(),
                    _ => {
                        return Err(format!(
                            "signing in to {base} failed ({status}): {}",
                            value["message"].as_str().unwrap_or(&text)
                        ));
                    }
                }
            }
            _ => return Err("--from needs --email and --password, or --token".into()),
        };
        Ok(Client { agent, base, token })
    }

    /// The status, the file name of a `Content-Disposition` and the body.
    fn get(&self, path: &str) -> Result<(u16, Option<String>, Vec<u8>), String> {
        let url = format!("{}{path}", self.base);
        let authorization = format!("Bearer {}", self.token);
        let mut answer =
            self.agent.get(&url).header("Authorization", &authorization).call().map_err(|e| format!("{url}: {e}"))?;
        let status = answer.status().as_u16();
        let disposition = answer.headers().get("content-disposition").and_then(|v| v.to_str().ok());
        let name = disposition.and_then(file_name);
        let body =
            answer.body_mut().with_config().limit(MOST_BYTES).read_to_vec().map_err(|e| format!("{url}: {e}"))?;
        Ok((status, name, body))
    }

    fn json(&self, path: &str) -> Result<Value, String> {
        match self.get(path)? {
            (200, _, body) => serde_json::from_slice(&body).map_err(|e| format!("{path}: {e}")),
            (status, _, body) => Err(format!("{path}: {status} {}", String::from_utf8_lossy(&body))),
        }
    }

    /// A workout's file and its name: the original when the server keeps it
    /// (FitTrackee 1.3, this server), else its GPX.
    pub fn download(&self, workout_id: &str) -> Result<(String, Vec<u8>), String> {
        for kind in ["original", "gpx"] {
            if let (200, name, body) = self.get(&format!("/api/workouts/{workout_id}/{kind}/download"))? {
                return Ok((name.unwrap_or_else(|| format!("{workout_id}.gpx")), body));
            }
        }
        Err("the server gives no file for it".into())
    }

    /// Every workout of the signed-in user, oldest first.
    pub fn items(&self, db: &mut Db<'_>, user: &User) -> Result<Vec<Item>, String> {
        let sports = self.json("/api/sports")?;
        let label = |id: &Value| {
            sports["data"]["sports"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|s| &s["id"] == id)
                .and_then(|s| s["label"].as_str())
                .map(str::to_owned)
        };
        let equipment =
            self.json("/api/equipments").map(|e| e["data"]["equipments"].clone()).unwrap_or(Value::Array(Vec::new()));
        let labels = create_equipment(db, user, &equipment)?;
        let mut items = Vec::new();
        for page in 1.. {
            let listed = self.json(&format!("/api/workouts?page={page}&per_page={PER_PAGE}&order=asc"))?;
            let workouts = listed["data"]["workouts"].as_array().cloned().unwrap_or_default();
            for w in &workouts {
                let title = w["title"].as_str().unwrap_or("a workout").to_string();
                let sport = label(&w["sport_id"]).unwrap_or_else(|| w["sport_id"].to_string());
                let sport_id =
                    super::sport_id(db, &sport)?.ok_or_else(|| format!("{title}: no sport '{sport}' here"))?;
                let start = w["workout_date"].as_str().and_then(http_date);
                let fields = fields_of(w, &labels);
                let id = w["id"].as_str().unwrap_or_default().to_string();
                let what = if w["with_file"] == true || w["with_gpx"] == true {
                    What::Remote { workout_id: id, fields }
                } else {
                    What::Manual(
                        manual(user, w, sport_id, start, fields)
                            .ok_or_else(|| format!("{title}: unreadable measures"))?,
                    )
                };
                items.push(Item { name: title, sport_id, start, what });
            }
            if workouts.len() < PER_PAGE || listed["pagination"]["has_next"] == false {
                break;
            }
        }
        Ok(items)
    }
}

/// The file name of a `Content-Disposition`: `filename*=UTF-8''ride.fit`
/// (percent-encoded, preferred) or `filename="ride.fit"`; only its last
/// part, a name, never a path.
fn file_name(disposition: &str) -> Option<String> {
    let params: Vec<&str> = disposition.split(';').map(str::trim).collect();
    let extended = params.iter().find_map(|p| p.strip_prefix("filename*=")).and_then(|v| v.split_once("''"));
    let name = match extended {
        Some((_, encoded)) => percent_decoded(encoded)?,
        None => params.iter().find_map(|p| p.strip_prefix("filename="))?.trim_matches('"').to_string(),
    };
    let name = name.rsplit(['/', '\\']).next()?.trim().to_string();
    (!name.is_empty()).then_some(name)
}

fn percent_decoded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(text.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_of_downloads() {
        assert_eq!(super::file_name("attachment; filename=\"ride.fit\""), Some("ride.fit".into()));
        assert_eq!(super::file_name("attachment; filename=ride.tcx"), Some("ride.tcx".into()));
        assert_eq!(super::file_name("attachment; filename*=UTF8''morning%20ride.fit"), Some("morning ride.fit".into()));
        assert_eq!(super::file_name("attachment; filename*=UTF-8''%zz"), None);
        assert_eq!(super::file_name("attachment; filename=\"../../etc/x.gpx\""), Some("x.gpx".into()));
        assert_eq!(super::file_name("inline"), None);
    }
}
