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
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent(module))] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let path: Vec<&str> = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|s| !s.is_empty())
                .collect();
            let mut full: Vec<&str> = base.iter().map(String::as_str).collect();
            full.extend(path);
            if let Some(found) = target(&full, known).filter(|t| !is_nested(module, t)) {
                out.insert(found);
            }
        }
    }
    out
}

/// The module `super` names from `module` (a file `a/b.rs` is `a::b`, its super `a`).
fn parent(module: &str) -> Vec<String> {
    let mut parts: Vec<String> = module.split("::").map(str::to_string).collect();
    parts.pop();
    parts
}

/// A circle of dependencies, if any (depth-first search).
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == node) {
            let mut circle = path[start..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let known = modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let graph: BTreeMap<String, BTreeSet<String>> =
        known.iter().map(|(module, source)| (module.clone(), dependencies(module, source, &known))).collect();
    assert!(graph.len() > 40, "{} modules found", graph.len());
    assert!(graph.values().map(BTreeSet::len).sum::<usize>() > 100, "dependencies are found");
    if let Some(circle) = find_circle(&graph) {
        panic!("modules depend on each other: {}", circle.join(" → "));
    }
}

#[test]
fn the_circle_finder_finds_circles() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
    .collect();
    assert_eq!(find_circle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    let known: BTreeMap<String, String> =
        ["", "x", "x::y", "z"].iter().map(|m| (m.to_string(), String::new())).collect();
    let found = dependencies("x::y", "use crate::z::Thing;\nuse super::Other;\nlet _ = crate::x::y::f();", &known);
    assert_eq!(found, BTreeSet::from(["z".to_string()]), "the parent and itself do not count");
}
