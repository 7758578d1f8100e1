//! Server configuration: embedded defaults, an optional TOML file, and a few
//! environment overrides. Every key is documented in `fittrackee.toml.example`.
//!
//! Lookup: `--config FILE`, else `FITTRACKEE_CONFIG`, else `./fittrackee.toml`
//! when present, else the defaults. `FITTRACKEE_LISTEN`, `FITTRACKEE_DATABASE`
//! and `FITTRACKEE_PUBLIC_URL` override the file. An unknown key or a bad
//! value stops start-up with one line naming the key and where it came from.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Config {
    /// Where the server listens (`127.0.0.1:5000`).
    pub listen: SocketAddr,
    /// The SQLite file that holds all state.
    pub database: PathBuf,
    /// The public base URL (`https://fit.example.org`), without a trailing
    /// slash. `None`: derived from each request's `Host` and scheme.
    pub public_url: Option<String>,
    /// Peers whose `X-Forwarded-Proto` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Size of the request-handling thread pool.
    pub workers: usize,
    /// Largest request body accepted outside workout uploads, in bytes.
    pub max_request_size: u64,
    /// Seconds a request body may take to arrive (slow senders get 408).
    pub request_timeout: u64,
    /// Largest size of the database file in bytes (0: no limit). When it is
    /// reached, writes answer 503 until space is freed.
    pub max_database_size: u64,
    pub oauth: OAuthConfig,
    pub maps: MapsConfig,
    /// The file this was read from (`None`: the defaults).
    pub file: Option<PathBuf>,
    /// Log lines as JSON objects instead of `key=value`.
    pub log_json: bool,
    /// Serve HTTPS with this certificate and key (`None`: plain HTTP).
    pub tls: Option<TlsFiles>,
}

/// The PEM files of built-in TLS; they are read again when they change.
#[derive(Debug, Clone, PartialEq)]
pub struct TlsFiles {
    /// The certificate chain, leaf first (certbot's `fullchain.pem`).
    pub cert: PathBuf,
    /// Its private key (certbot's `privkey.pem`).
    pub key: PathBuf,
}

/// Where map tiles come from, and how many are kept.
#[derive(Debug, Clone)]
pub struct MapsConfig {
    /// The tile URL pattern (`{s}`, `{z}`, `{x}`, `{y}`); `None`: maps are
    /// off (no tiles are fetched; thumbnails show the route alone).
    pub tile_server_url: Option<String>,
    /// HTML credit shown under maps (the tile server's terms ask for it).
    pub attribution: String,
    /// Bytes of tiles kept in the database (0: none kept).
    pub tile_cache_size: u64,
    /// Seconds a kept tile is served before it is fetched again (a stale
    /// tile is still served when the tile server cannot be reached).
    pub tile_cache_lifetime: i64,
    /// Tile fetches at once; twice as many further requests wait briefly
    /// for their turn, the rest are answered from the cache or refused, so
    /// that a slow tile server holds a bounded share of the workers.
    pub tile_fetches: usize,
}

/// FitTrackee's default tile server and credit.
pub const OSM_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
pub const OSM_ATTRIBUTION: &str = "&copy; <a href=\"http://www.openstreetmap.org/copyright\" target=\"_blank\" \
    rel=\"noopener noreferrer\">OpenStreetMap</a> contributors";

#[derive(Debug, Clone)]
pub struct OAuthConfig {
    pub code_lifetime: i64,
    pub access_token_lifetime: i64,
    pub refresh_token_lifetime: i64,
    /// Lets apps register plain-http redirect URIs on LAN hosts.
    pub allow_http_redirect_uris: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 5000)),
            database: PathBuf::from("./fittrackee.db"),
            public_url: None,
            trusted_proxies: vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1])],
            workers: 8,
            max_request_size: 1024 * 1024,
            request_timeout: 60,
            max_database_size: 0,
            oauth: OAuthConfig {
                code_lifetime: 300,
                access_token_lifetime: 864_000,
                refresh_token_lifetime: 2 * 864_000,
                allow_http_redirect_uris: false,
            },
            maps: MapsConfig {
                tile_server_url: Some(OSM_TILES.to_string()),
                attribution: OSM_ATTRIBUTION.to_string(),
                tile_cache_size: 50 * 1024 * 1024,
                tile_cache_lifetime: 7 * 86_400,
                tile_fetches: 2,
            },
            file: None,
            log_json: false,
            tls: None,
        }
    }
}

/// One line for the operator: which key is wrong, and where it was read.
#[derive(Debug, PartialEq)]
pub struct ConfigError {
    pub origin: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration error in {}: {}", self.origin, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Loads the configuration the way `serve` and the CLI do.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let file = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => match std::env::var_os("FITTRACKEE_CONFIG") {
                Some(path) => Some(PathBuf::from(path)),
                None => Some(PathBuf::from("./fittrackee.toml")).filter(|p| p.exists()),
            },
        };
        let mut config = match &file {
            Some(path) => Self::from_file(path)?,
            None => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError { origin: origin.clone(), message: format!("cannot read the file ({e})") })?;
        Ok(Config { file: Some(path.to_path_buf()), ..Self::from_toml(&text, &origin)? })
    }

    pub fn from_toml(text: &str, origin: &str) -> Result<Config, ConfigError> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError {
            origin: located(origin, text, e.span().map_or(0, |span| span.start)),
            message: format!("not valid TOML: {}", e.message()),
        })?;
        let mut config = Config::default();
        let mut keys = Keys { table, origin, text, prefix: "" };
        if let Some(v) = keys.take_str("listen")? {
            config.listen = parse_listen(&v).map_err(|m| keys.error("listen", &m))?;
        }
        if let Some(v) = keys.take_str("database")? {
            config.database = parse_database(&v).map_err(|m| keys.error("database", &m))?;
        }
        if let Some(v) = keys.take_str("public_url")? {
            config.public_url = parse_public_url(&v).map_err(|m| keys.error("public_url", &m))?;
        }
        if let Some(list) = keys.take_str_list("trusted_proxies")? {
            let parsed: Result<Vec<IpAddr>, _> = list.iter().map(|s| s.parse()).collect();
            config.trusted_proxies =
                parsed.map_err(|_| keys.error("trusted_proxies", "expected a list of IP addresses"))?;
        }
        if let Some(v) = keys.take_int("workers", 1, 256)? {
            config.workers = v as usize;
        }
        if let Some(v) = keys.take_int("max_request_size", 1024, 1 << 30)? {
            config.max_request_size = v as u64;
        }
        if let Some(v) = keys.take_int("request_timeout", 1, 3600)? {
            config.request_timeout = v as u64;
        }
        if let Some(format) = keys.take_str("log_format")? {
            config.log_json = match format.as_str() {
                "text" => false,
                "json" => true,
                _ => return Err(keys.error("log_format", "expected \"text\" or \"json\"")),
            };
        }
        if let Some(v) = keys.take_int("max_database_size", 0, i64::MAX)? {
            config.max_database_size = v as u64;
        }
        let tls_cert = keys.take_str("tls_cert")?.filter(|v| !v.trim().is_empty());
        let tls_key = keys.take_str("tls_key")?.filter(|v| !v.trim().is_empty());
        config.tls = match (tls_cert, tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert: cert.into(), key: key.into() }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(keys.error("tls_cert", "is set, so tls_key (the private key file) must be too"));
            }
            (None, Some(_)) => {
                return Err(keys.error("tls_key", "is set, so tls_cert (the certificate file) must be too"));
            }
        };
        if let Err(message) = config.check_public_scheme() {
            return Err(keys.error("public_url", &message));
        }
        if let Some(table) = keys.take_table("oauth")? {
            read_oauth(Keys { table, origin, text, prefix: "oauth." }, &mut config.oauth)?;
        }
        if let Some(table) = keys.take_table("maps")? {
            read_maps(Keys { table, origin, text, prefix: "maps." }, &mut config.maps)?;
        }
        keys.reject_rest()?;
        Ok(config)
    }

    /// Environment variables win over the file.
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        let err = |name: &str, message: String| ConfigError { origin: format!("environment variable {name}"), message };
        if let Some(v) = var("FITTRACKEE_LISTEN") {
            self.listen = parse_listen(&v).map_err(|m| err("FITTRACKEE_LISTEN", m))?;
        }
        if let Some(v) = var("FITTRACKEE_DATABASE") {
            self.database = parse_database(&v).map_err(|m| err("FITTRACKEE_DATABASE", m))?;
        }
        if let Some(v) = var("FITTRACKEE_PUBLIC_URL") {
            self.public_url = parse_public_url(&v).map_err(|m| err("FITTRACKEE_PUBLIC_URL", m))?;
            self.check_public_scheme().map_err(|m| err("FITTRACKEE_PUBLIC_URL", m))?;
        }
        Ok(())
    }

    /// With built-in TLS clients reach us over https, so a plain-http public
    /// URL would name an address that does not answer (and an OAuth issuer
    /// that apps cannot match).
    fn check_public_scheme(&self) -> Result<(), String> {
        match &self.public_url {
            Some(url) if self.tls.is_some() && url.starts_with("http://") => Err(format!(
                "`{url}` is plain http, but the server serves https (tls_cert is set): use https://{}",
                &url["http://".len()..]
            )),
            _ => Ok(()),
        }
    }

    /// The scheme clients reach the server with when no proxy is involved.
    pub fn scheme(&self) -> &'static str {
        if self.tls.is_some() { "https" } else { "http" }
    }

    /// True when the server can be reached from other machines.
    pub fn listens_beyond_loopback(&self) -> bool {
        !self.listen.ip().is_loopback()
    }
}

fn parse_listen(value: &str) -> Result<SocketAddr, String> {
    value.parse().map_err(|_| format!("`{value}` is not an address with a port, such as 127.0.0.1:5000 or [::]:5000"))
}

fn parse_database(value: &str) -> Result<PathBuf, String> {
    if value.trim().is_empty() {
        return Err("must be a file path".into());
    }
    Ok(PathBuf::from(value))
}

/// Accepts `http(s)://host[:port][/path]`; empty means "derive from requests".
pub fn parse_public_url(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| format!("`{value}` must start with https:// or http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || value.contains(['?', '#', ' ']) {
        return Err(format!("`{value}` must be a base URL such as https://fit.example.org"));
    }
    Ok(Some(value.trim_end_matches('/').to_string()))
}

/// `origin, line L, column C` of the byte `offset` of `text`.
fn located(origin: &str, text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{origin}, line {line}, column {column}")
}

/// Where `key = …` is written in `section` (`""`: the top) of `text`.
fn key_offset(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut current = "";
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|rest| rest.split(']').next()) {
            current = name.trim();
        } else if current == section
            && let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    None
}

/// Takes known keys out of a TOML table; whatever is left is unknown.
struct Keys<'a> {
    table: toml::Table,
    origin: &'a str,
    /// The file's text, to say where a key is.
    text: &'a str,
    prefix: &'static str,
}

impl Keys<'_> {
    fn error(&self, key: &str, message: &str) -> ConfigError {
        let section = self.prefix.trim_end_matches('.');
        let origin = match key_offset(self.text, section, key) {
            Some(offset) => located(self.origin, self.text, offset),
            None => self.origin.to_string(),
        };
        ConfigError { origin, message: format!("key `{}{key}`: {message}", self.prefix) }
    }

    fn take_str(&mut self, key: &str) -> Result<Option<String>, ConfigError> {
        match self.table.remove(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.error(key, "expected a string")),
        }
    }

    fn take_int(&mut self, key: &str, min: i64, max: i64) -> Result<Option<i64>, ConfigError> {
        match self.table.remove(key) {
            None => Ok(None),
            Some(toml::Value::Integer(n)) if (min..=max).contains(&n) => Ok(Some(n)),
            Some(_) => Err(self.error(key, &format!("expected an integer from {min} to {max}"))),
        }
    }

    fn take_bool(&mut self, key: &str) -> Result<Option<bool>, ConfigError> {
        match self.table.remove(key) {
            None => Ok(None),
            Some(toml::Value::Boolean(b)) => Ok(Some(b)),
            Some(_) => Err(self.error(key, "expected true or false")),
        }
    }

    fn take_str_list(&mut self, key: &str) -> Result<Option<Vec<String>>, ConfigError> {
        match self.table.remove(key) {
            None => Ok(None),
            Some(toml::Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    toml::Value::String(s) => Ok(s),
                    _ => Err(self.error(key, "expected a list of strings")),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(self.error(key, "expected a list of strings")),
        }
    }

    fn take_table(&mut self, key: &str) -> Result<Option<toml::Table>, ConfigError> {
        match self.table.remove(key) {
            None => Ok(None),
            Some(toml::Value::Table(t)) => Ok(Some(t)),
            Some(_) => Err(self.error(key, "expected a table")),
        }
    }

    fn reject_rest(&self) -> Result<(), ConfigError> {
        match self.table.keys().next() {
            None => Ok(()),
            Some(key) => Err(self.error(key, "unknown key")),
        }
    }
}

/// The `[oauth]` table. A refresh token outlives its access token: twice
/// as long unless set.
fn read_oauth(mut keys: Keys<'_>, o: &mut OAuthConfig) -> Result<(), ConfigError> {
    if let Some(v) = keys.take_int("code_lifetime", 1, 600)? {
        o.code_lifetime = v;
    }
    if let Some(v) = keys.take_int("access_token_lifetime", 60, 10 * 365 * 86_400)? {
        o.access_token_lifetime = v;
    }
    o.refresh_token_lifetime = match keys.take_int("refresh_token_lifetime", 60, 20 * 365 * 86_400)? {
        Some(v) => v,
        None => 2 * o.access_token_lifetime,
    };
    if let Some(v) = keys.take_bool("allow_http_redirect_uris")? {
        o.allow_http_redirect_uris = v;
    }
    keys.reject_rest()?;
    if o.refresh_token_lifetime < o.access_token_lifetime {
        return Err(keys.error("refresh_token_lifetime", "must not be shorter than access_token_lifetime"));
    }
    Ok(())
}

/// The `[maps]` table.
fn read_maps(mut keys: Keys<'_>, m: &mut MapsConfig) -> Result<(), ConfigError> {
    if let Some(v) = keys.take_str("tile_server_url")? {
        m.tile_server_url = parse_tile_server_url(&v).map_err(|e| keys.error("tile_server_url", &e))?;
    }
    if let Some(v) = keys.take_str("attribution")? {
        m.attribution = v;
    }
    if let Some(v) = keys.take_int("tile_cache_size", 0, i64::MAX)? {
        m.tile_cache_size = v as u64;
    }
    if let Some(v) = keys.take_int("tile_cache_lifetime", 0, 365 * 86_400)? {
        m.tile_cache_lifetime = v;
    }
    if let Some(v) = keys.take_int("tile_fetches", 1, 16)? {
        m.tile_fetches = v as usize;
    }
    keys.reject_rest()
}

/// A tile URL pattern: http(s), a host, and `{z}`, `{x}` and `{y}`; `{s}`
/// (a subdomain) is the only other placeholder. Empty: maps off.
pub fn parse_tile_server_url(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let hint = "must be a tile URL such as https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    for placeholder in ["{z}", "{x}", "{y}"] {
        if value.matches(placeholder).count() != 1 {
            return Err(format!("{hint} (with {placeholder} once)"));
        }
    }
    let host = value.split("://").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or("");
    if host.is_empty() || ["{z}", "{x}", "{y}"].iter().any(|p| host.contains(p)) {
        return Err(format!("{hint} ({{z}}, {{x}} and {{y}} go in the path)"));
    }
    let sample = value.replace("{s}", "a").replace("{z}", "1").replace("{x}", "2").replace("{y}", "3");
    let parsed = url::Url::parse(&sample).map_err(|_| hint.to_string())?;
    let plain = !sample.contains(['{', '}', ' ']) && parsed.username().is_empty() && parsed.password().is_none();
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() || !plain {
        return Err(hint.to_string());
    }
    Ok(Some(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_server_urls_are_patterns_of_one_http_server() {
        let ok = |url: &str| parse_tile_server_url(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(ok(""), None, "maps off");
        assert_eq!(ok(OSM_TILES).as_deref(), Some(OSM_TILES));
        assert!(ok("https://{s}.tile.example.org/{z}/{x}/{y}.png").is_some());
        assert!(ok("https://tiles.example.org/cycle/{z}/{x}/{y}.png?apikey=k").is_some());
        for wrong in [
            "tile.openstreetmap.org/{z}/{x}/{y}.png",
            "ftp://tiles.example/{z}/{x}/{y}.png",
            "https://tiles.example/{z}/{x}.png",
            "https://tiles.example/{z}/{z}/{x}/{y}.png",
            "https://{z}.example/{x}/{y}.png",
            "https://user:pw@tiles.example/{z}/{x}/{y}.png",
            "https://tiles.example/{z}/{x}/{y}{r}.png",
            "https:///{z}/{x}/{y}.png",
        ] {
            assert!(parse_tile_server_url(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn empty_file_gives_the_embedded_defaults() {
        let c = Config::from_toml("", "test.toml").unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:5000");
        assert_eq!(c.database, PathBuf::from("./fittrackee.db"));
        assert_eq!(c.public_url, None);
        assert_eq!(c.oauth.refresh_token_lifetime, 2 * c.oauth.access_token_lifetime);
    }

    #[test]
    fn the_example_file_documents_exactly_the_defaults() {
        let example = Config::from_toml(include_str!("../fittrackee.toml.example"), "example").unwrap();
        let default = Config::default();
        assert_eq!(format!("{example:?}"), format!("{default:?}"));
    }

    #[test]
    fn every_key_is_read() {
        let c = Config::from_toml(
            r#"
            listen = "0.0.0.0:8080"
            database = "/var/lib/fittrackee/db.sqlite"
            public_url = "https://fit.example.org/"
            trusted_proxies = ["10.0.0.1"]
            workers = 4
            max_request_size = 2048
            request_timeout = 30
            max_database_size = 1000000
            [oauth]
            code_lifetime = 60
            access_token_lifetime = 3600
            allow_http_redirect_uris = true
            "#,
            "t",
        )
        .unwrap();
        assert_eq!(c.listen.port(), 8080);
        assert_eq!(c.public_url.as_deref(), Some("https://fit.example.org"));
        assert_eq!(c.trusted_proxies, vec![IpAddr::from([10, 0, 0, 1])]);
        assert_eq!((c.workers, c.max_request_size, c.request_timeout, c.max_database_size), (4, 2048, 30, 1_000_000));
        assert_eq!(c.oauth.code_lifetime, 60);
        assert_eq!(c.oauth.refresh_token_lifetime, 7200);
        assert!(c.oauth.allow_http_redirect_uris);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key_and_the_file() {
        let e = Config::from_toml("lisen = \"x\"", "my.toml").unwrap_err();
        assert_eq!(e.to_string(), "configuration error in my.toml, line 1, column 1: key `lisen`: unknown key");
        let e = Config::from_toml("workers = 4\n[oauth]\n  code_lifetim = 5", "my.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration error in my.toml, line 3, column 3: key `oauth.code_lifetim`: unknown key"
        );
        let e = Config::from_toml("workers = 4\nlisten = [\n", "my.toml").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("configuration error in my.toml, line 2, column 11: not valid TOML: unclosed array"),
            "{e}"
        );
        let e = Config::from_toml("listen = \"localhost\"", "my.toml").unwrap_err();
        assert!(e.to_string().contains("key `listen`"), "{e}");
        let e = Config::from_toml("workers = 0", "my.toml").unwrap_err();
        assert!(e.to_string().contains("key `workers`"), "{e}");
        for (line, key) in [
            ("request_timeout = 0", "request_timeout"),
            ("request_timeout = \"60\"", "request_timeout"),
            ("max_database_size = -1", "max_database_size"),
        ] {
            let e = Config::from_toml(line, "my.toml").unwrap_err();
            assert!(e.to_string().contains(&format!("key `{key}`")), "{line}: {e}");
        }
        let e = Config::from_toml("public_url = \"fit.example.org\"", "my.toml").unwrap_err();
        assert!(e.to_string().contains("key `public_url`"), "{e}");
        let e =
            Config::from_toml("[oauth]\naccess_token_lifetime = 7200\nrefresh_token_lifetime = 3600", "f").unwrap_err();
        assert!(e.to_string().contains("refresh_token_lifetime"), "{e}");
    }

    #[test]
    fn environment_overrides_the_file() {
        let mut c = Config::from_toml("listen = \"127.0.0.1:1\"", "f").unwrap();
        c.apply_env(|name| match name {
            "FITTRACKEE_LISTEN" => Some("127.0.0.1:2".into()),
            "FITTRACKEE_DATABASE" => Some("/tmp/x.db".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.listen.port(), 2);
        assert_eq!(c.database, PathBuf::from("/tmp/x.db"));
        let e = c.apply_env(|n| (n == "FITTRACKEE_LISTEN").then(|| "nope".into())).unwrap_err();
        assert_eq!(e.origin, "environment variable FITTRACKEE_LISTEN");
    }

    #[test]
    fn tls_takes_both_files_and_an_https_public_url() {
        let both = "tls_cert = \"/etc/f/fullchain.pem\"\ntls_key = \"/etc/f/privkey.pem\"\n";
        let c = Config::from_toml(both, "f").unwrap();
        let files = TlsFiles { cert: "/etc/f/fullchain.pem".into(), key: "/etc/f/privkey.pem".into() };
        assert_eq!(c.tls, Some(files));
        assert_eq!(c.scheme(), "https");
        assert_eq!(Config::from_toml("tls_cert = \"\"\ntls_key = \"\"", "f").unwrap().tls, None, "empty: off");
        let e = Config::from_toml("workers = 2\ntls_key = \"k.pem\"", "f").unwrap_err();
        assert_eq!(
            e.to_string(),
            "configuration error in f, line 2, column 1: key `tls_key`: is set, so tls_cert (the certificate file) must be too"
        );
        let e = Config::from_toml(&format!("{both}public_url = \"http://fit.lan\""), "f").unwrap_err();
        assert!(e.to_string().contains("key `public_url`") && e.to_string().contains("use https://fit.lan"), "{e}");
        let mut c = Config::from_toml(&format!("{both}public_url = \"https://fit.lan\""), "f").unwrap();
        let e = c.apply_env(|n| (n == "FITTRACKEE_PUBLIC_URL").then(|| "http://fit.lan".into())).unwrap_err();
        assert_eq!(e.origin, "environment variable FITTRACKEE_PUBLIC_URL");
    }
}
