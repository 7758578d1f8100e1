//! A cookie-keeping client for the server-rendered pages.

use super::{Request, Response, Server};

pub struct Browser<'s> {
    pub server: &'s Server,
    pub cookie: Option<String>,
}

impl<'s> Browser<'s> {
    pub fn new(server: &'s Server) -> Browser<'s> {
        Browser { server, cookie: None }
    }

    fn with_cookie(&self, request: Request) -> Request {
        match &self.cookie {
            Some(cookie) => request.header("Cookie", cookie),
            None => request,
        }
    }

    fn keep_cookie(&mut self, response: &Response) {
        if let Some(set) = response.header("Set-Cookie") {
            self.cookie = set.split(';').next().map(str::to_string);
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
