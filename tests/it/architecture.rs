//! The layering of `src/` (docs/architecture.md), checked over the source:
//! no two modules depend on each other, directly or around a circle.
//!
//! A module is a file; it depends on every module it names through a
//! `crate::` or `super::` path (in `use` lines and in code). Containment
//! does not count: a parent naming its child, or a child its parent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module paths (`workouts::create`) of every file under `src/`.
fn modules(root: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap().with_extension("");
            let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().to_string()).collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
                parts.pop();
            }
            found.insert(parts.join("::"), std::fs::read_to_string(&path).unwrap());
        }
    }
    found
}

/// The module a path names: its longest prefix that is a module.
fn target(path: &[&str], known: &BTreeMap<String, String>) -> Option<String> {
    (1..=path.len()).rev().map(|n| path[..n].join("::")).find(|candidate| known.contains_key(candidate))
}

fn is_nested(a: &str, b: &str) -> bool {
    a == b || a.is_empty() || b.is_empty() || a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"))
}

/// Paths after `crate::` or `super::` in `source`, as module names.
fn dependencies(module: &str, source: &str, known: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let code: String = source.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    for prefix in ["crate::", "super::"] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut base = if prefix == "crate::" { Vec::new() } else { parent(module) };
            let mut rest = &code[at + prefix.len()..];
            while let Some(after) = rest.strip_prefix("super::") {
                base.pop();
                rest = after;
            }
            for path in use_paths(&mut rest.chars().peekable(), base) {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                if let Some(found) = target(&path, known).filter(|t| !is_nested(module, t)) {
                    out.insert(found);
                }
            }
        }
    }
    out
}

/// Every path a use tree names, with `{a, b::{c, self}}` groups expanded
/// (`self` names the prefix, `x as y` names `x`).
fn use_paths(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, prefix: Vec<String>) -> Vec<Vec<String>> {
    let mut path = prefix;
    if chars.peek() == Some(&'{') {
        chars.next();
        return group(chars, path);
    }
    loop {
        let mut segment = String::new();
        while let Some(c) = chars.peek().copied().filter(|c| c.is_alphanumeric() || *c == '_') {
            segment.push(c);
            chars.next();
        }
        if !segment.is_empty() && segment != "self" {
            path.push(segment);
        }
        if chars.peek() == Some(&':') {
            chars.next();
            chars.next();
            if chars.peek() == Some(&'{') {
                chars.next();
                return group(chars, path);
            }
            continue;
        }
        return vec![path];
    }
}

/// The items of a `{…}` group, up to its closing brace.
fn group(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, prefix: Vec<String>) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        match chars.peek() {
            None => return paths,
            Some('}') => {
                chars.next();
                return paths;
            }
            _ => {}
        }
        paths.extend(use_paths(chars, prefix.clone()));
        // Skip what follows the path (`as name`, `*`) up to the next item.
        while chars.peek().is_some_and(|c| *c != ',' && *c != '}') {
            chars.next();
        }
    }
}

/// The module `super` names from `module` (a file `a/b.rs` is `a::b`, its super `a`).
fn parent(module: &str) -> Vec<String> {
    let mut parts: Vec<String> = module.split("::").map(str::to_string).collect();
    parts.pop();
    parts
}

/// The groups of modules that depend on each other around a circle (the
/// strongly connected components of more than one module, Tarjan's method).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, node: &'g str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next.as_str()) {
                    self.visit(next);
                    self.low.insert(node, self.low[node].min(self.low[next.as_str()]));
                } else if self.stack.contains(&next.as_str()) {
                    self.low.insert(node, self.low[node].min(self.index[next.as_str()]));
                }
            }
            if self.low[node] == self.index[node] {
                let at = self.stack.iter().rposition(|m| *m == node).unwrap_or(0);
                let group: Vec<String> = self.stack.drain(at..).map(str::to_string).collect();
                if group.len() > 1 {
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.found.iter_mut().for_each(|group| group.sort());
    walk.found
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let known = modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let graph: BTreeMap<String, BTreeSet<String>> =
        known.iter().map(|(module, source)| (module.clone(), dependencies(module, source, &known))).collect();
    assert!(graph.len() > 40, "{} modules found", graph.len());
    assert!(graph.values().map(BTreeSet::len).sum::<usize>() > 100, "dependencies are found");
    let found = circles(&graph);
    let described: Vec<String> = found.iter().map(|group| group.join(", ")).collect();
    assert!(found.is_empty(), "modules that depend on each other:\n{}", described.join("\n"));
}

#[test]
fn the_circle_finder_finds_circles() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec![])]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
            .collect();
    assert_eq!(circles(&graph), vec![vec!["a".to_string(), "b".into(), "c".into()]]);
    let known: BTreeMap<String, String> =
        ["", "x", "x::y", "z"].iter().map(|m| (m.to_string(), String::new())).collect();
    let found = dependencies("x::y", "use crate::z::Thing;\nuse super::Other;\nlet _ = crate::x::y::f();", &known);
    assert_eq!(found, BTreeSet::from(["z".to_string()]), "the parent and itself do not count");
    let found = dependencies("z", "use crate::{x::{self, y::T as U}, z};", &known);
    assert_eq!(found, BTreeSet::from(["x".to_string(), "x::y".to_string()]), "groups are expanded");
    let found = dependencies("x::y", "use super::super::z;", &known);
    assert_eq!(found, BTreeSet::from(["z".to_string()]), "super::super climbs twice");
}

/// The layers of docs/architecture.md, by top-level module.
const EDGE: &[&str] = &["http", "api", "web", "app", "import"];
const DOMAIN: &[&str] = &[
    "accounts",
    "application",
    "backup",
    "equipments",
    "exports",
    "files",
    "maps",
    "oauth",
    "sports",
    "throttle",
    "workouts",
];
const STORE: &[&str] = &["store"];
const BASE: &[&str] = &[
    "clock",
    "config",
    "crypto",
    "dates",
    "documents",
    "log",
    "memory",
    "numbers",
    "shortid",
    "slots",
    "visibility",
    "xml",
];

fn layer(module: &str) -> &'static str {
    let top = module.split("::").next().unwrap_or("");
    [("edge", EDGE), ("domain", DOMAIN), ("store", STORE), ("base", BASE)]
        .iter()
        .find(|(_, members)| members.contains(&top))
        .map_or("root", |(name, _)| name)
}

/// Which layers a layer may name.
fn may_use(from: &str, to: &str) -> bool {
    match from {
        "edge" | "root" => true,
        "domain" | "store" => to != "edge",
        "base" => to == "base",
        _ => false,
    }
}

#[test]
fn every_module_belongs_to_a_layer_and_names_only_the_layers_below_it() {
    let known = modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let mut wrong = Vec::new();
    for (module, source) in &known {
        let from = layer(module);
        assert!(module.is_empty() || from != "root", "{module} belongs to no layer: add it to one");
        for used in dependencies(module, source, &known) {
            if !may_use(from, layer(&used)) {
                wrong.push(format!("{module} ({from}) uses {used} ({})", layer(&used)));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn domain_code_never_sees_http_or_json() {
    let known = modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let mut wrong = Vec::new();
    for (module, source) in known.iter().filter(|(m, _)| layer(m) == "domain") {
        for name in ["serde_json", "rouille", "maud", "tiny_http"] {
            if source.contains(name) {
                wrong.push(format!("{module} names {name}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
