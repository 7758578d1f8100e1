//! A cookie-keeping client for the server-rendered pages.

use super::{Request, Response, Server};

pub struct Browser<'s> {
    pub server: &'s Server,
    /// The cookie jar: (name, value), as the server last set them.
    pub cookies: Vec<(String, String)>,
}

impl<'s> Browser<'s> {
    pub fn new(server: &'s Server) -> Browser<'s> {
        Browser { server, cookies: Vec::new() }
    }

    /// The `Cookie` header this browser sends.
    pub fn cookie(&self) -> Option<String> {
        let pairs: Vec<String> = self.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// `ft_session=<value>`, the browser session cookie.
    pub fn session_cookie(&self) -> Option<String> {
        self.cookies.iter().find(|(name, _)| name == "ft_session").map(|(name, value)| format!("{name}={value}"))
    }

    fn with_cookie(&self, request: Request) -> Request {
        match self.cookie() {
            Some(cookie) => request.header("Cookie", &cookie),
            None => request,
        }
    }

    fn keep_cookie(&mut self, response: &Response) {
        for set in response.header_all("Set-Cookie") {
            let Some((name, value)) = set.split(';').next().and_then(|pair| pair.split_once('=')) else { continue };
            self.cookies.retain(|(kept, _)| kept != name);
            self.cookies.push((name.to_string(), value.to_string()));
        }
    }

    pub fn get(&mut self, path: &str) -> Response {
        let response = self.with_cookie(self.server.get(path)).send();
        self.keep_cookie(&response);
        response
    }

    /// Posts a form; `csrf_token` is taken from `page` unless the fields carry one.
    pub fn post(&mut self, path: &str, page: &Response, fields: &[(&str, &str)]) -> Response {
        let csrf = csrf_token(&page.text());
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if !fields.iter().any(|(k, _)| *k == "csrf_token") {
            all.push(("csrf_token", &csrf));
        }
        let response = self.with_cookie(self.server.post(path)).form(&all).send();
        self.keep_cookie(&response);
        response
    }

    /// Signs in through the login page.
    pub fn sign_in(&mut self, username: &str) {
        let page = self.get("/login");
        let response =
            self.post("/login", &page, &[("email", &format!("{username}@example.org")), ("password", super::PASSWORD)]);
        assert_eq!(response.status, 303, "sign in: {}", response.text());
    }
}

/// The CSRF token of the first form in a page.
pub fn csrf_token(html: &str) -> String {
    hidden_field(html, "csrf_token").unwrap_or_default()
}

/// The value of `<input type="hidden" name=NAME value=...>`.
pub fn hidden_field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">"))
}
