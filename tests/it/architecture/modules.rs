//! The crate's modules as the compiler finds them (from `lib.rs`, through
//! `mod` items and `#[path]`), and the paths each file writes, resolved to
//! the module they reach.

use super::lex::{is_ident, tokens, Token};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A path as written, with the module it was written in.
pub(crate) struct Written {
    /// The module the path is written in (inline modules included).
    pub(crate) scope: Vec<String>,
    pub(crate) segments: Vec<String>,
    /// The name a `use` binds it to, if it is an import (`None` for a glob).
    pub(crate) binds: Option<String>,
    pub(crate) is_use: bool,
}

/// A file's module declarations and the paths it writes.
pub(crate) struct Parsed {
    /// (module path, file) of every `mod name;`
    pub(crate) children: Vec<(Vec<String>, PathBuf)>,
    /// every inline `mod name { .. }`
    pub(crate) inline: Vec<Vec<String>>,
    pub(crate) paths: Vec<Written>,
}

/// Reads one file of module `module` at `file` (relative to `src`).
pub(crate) fn parse(src: &Path, file: &Path, module: &[String]) -> Parsed {
    let text = std::fs::read_to_string(src.join(file)).unwrap();
    let toks = tokens(&text);
    let name = file.file_stem().unwrap().to_string_lossy().into_owned();
    let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
    // where `mod x;` looks for x: beside a mod.rs or lib.rs, else in a folder
    // named after the file
    let child_dir = if matches!(name.as_str(), "mod" | "lib" | "main") {
        dir.clone()
    } else {
        dir.join(&name)
    };
    let mut parsed = Parsed {
        children: Vec::new(),
        inline: Vec::new(),
        paths: Vec::new(),
    };
    let mut depth = 0usize;
    // inline modules open here: (name, brace depth inside them)
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut path_attr: Option<String> = None;
    let scope = |open: &[(String, usize)]| -> Vec<String> {
        let mut s = module.to_vec();
        s.extend(open.iter().map(|(n, _)| n.clone()));
        s
    };
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Token::Punct('#') if toks.get(i + 1) == Some(&Token::Punct('[')) => {
                if let (Some(Token::Ident(k)), Some(Token::Punct('=')), Some(Token::Str(p))) =
                    (toks.get(i + 2), toks.get(i + 3), toks.get(i + 4))
                {
                    if k == "path" {
                        path_attr = Some(p.clone());
                    }
                }
                i += 2;
            }
            Token::Ident(k) if k == "mod" && is_ident(toks.get(i + 1)) => {
                let Some(Token::Ident(m)) = toks.get(i + 1) else {
                    unreachable!()
                };
                match toks.get(i + 2) {
                    Some(Token::Punct(';')) => {
                        let inner: PathBuf = open.iter().map(|(n, _)| n.as_str()).collect();
                        let file = match path_attr.take() {
                            // #[path] outside inline modules is relative to
                            // the declaring file's folder
                            Some(p) if open.is_empty() => dir.join(p),
                            Some(p) => child_dir.join(inner).join(p),
                            None => {
                                let base = child_dir.join(inner);
                                if src.join(base.join(format!("{m}.rs"))).exists() {
                                    base.join(format!("{m}.rs"))
                                } else {
                                    base.join(m).join("mod.rs")
                                }
                            }
                        };
                        let mut path = scope(&open);
                        path.push(m.clone());
                        parsed.children.push((path, file));
                        i += 3;
                    }
                    Some(Token::Punct('{')) => {
                        depth += 1;
                        open.push((m.clone(), depth));
                        parsed.inline.push(scope(&open));
                        path_attr = None;
                        i += 3;
                    }
                    _ => i += 2,
                }
            }
            Token::Ident(k) if k == "use" => {
                let end = toks[i..]
                    .iter()
                    .position(|t| *t == Token::Punct(';'))
                    .map_or(toks.len(), |e| i + e);
                let mut found = Vec::new();
                use_tree(&toks[i + 1..end], Vec::new(), &mut found);
                for (segments, binds) in found {
                    parsed.paths.push(Written {
                        scope: scope(&open),
                        segments,
                        binds,
                        is_use: true,
                    });
                }
                i = end + 1;
            }
            Token::Ident(first)
                if toks.get(i + 1) == Some(&Token::Sep)
                    && (i == 0 || !matches!(toks[i - 1], Token::Sep | Token::Punct('.'))) =>
            {
                let mut segments = vec![first.clone()];
                let mut j = i + 1;
                while toks.get(j) == Some(&Token::Sep) {
                    match toks.get(j + 1) {
                        Some(Token::Ident(s)) => segments.push(s.clone()),
                        _ => break,
                    }
                    j += 2;
                }
                parsed.paths.push(Written {
                    scope: scope(&open),
                    segments,
                    binds: None,
                    is_use: false,
                });
                i = j;
            }
            Token::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Token::Punct('}') => {
                if open.last().is_some_and(|(_, d)| *d == depth) {
                    open.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Token::Punct(';') => {
                path_attr = None;
                i += 1;
            }
            _ => i += 1,
        }
    }
    parsed
}

/// Expands a `use` tree: `a::{b, c as d, e::*}` gives (a::b, b), (a::c, d)
/// and (a::e, glob).
pub(crate) fn use_tree(
    toks: &[Token],
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    // split the top level on commas outside braces
    let mut parts: Vec<&[Token]> = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, t) in toks.iter().enumerate() {
        match t {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => depth = depth.saturating_sub(1),
            Token::Punct(',') if depth == 0 => {
                parts.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&toks[start..]);
    'parts: for part in parts {
        let mut path = prefix.clone();
        let mut j = 0;
        if part.first() == Some(&Token::Sep) {
            // `::name` names an extern crate, never a module of ours
            path.push("::".into());
            j += 1;
        }
        loop {
            match part.get(j) {
                Some(Token::Ident(s)) => path.push(s.clone()),
                Some(Token::Punct('{')) => {
                    let close = part.iter().rposition(|t| *t == Token::Punct('}'));
                    use_tree(&part[j + 1..close.unwrap_or(part.len())], path, out);
                    continue 'parts;
                }
                Some(Token::Punct('*')) => {
                    out.push((path, None));
                    continue 'parts;
                }
                _ => break,
            }
            match part.get(j + 1) {
                Some(Token::Sep) => j += 2,
                Some(Token::Ident(k)) if k == "as" => {
                    let alias = match part.get(j + 2) {
                        Some(Token::Ident(a)) if a != "_" => Some(a.clone()),
                        _ => None,
                    };
                    out.push((path, alias));
                    continue 'parts;
                }
                _ => break,
            }
        }
        if path.len() > prefix.len() {
            // `a::{self}` binds `a`
            let binds = path.iter().rev().find(|s| *s != "self").cloned();
            out.push((path, binds));
        }
    }
}

/// Every module of the crate (inline ones too) and the file that holds it,
/// found as the compiler finds them: from `lib.rs`, through `mod` items.
pub(crate) struct Crate {
    pub(crate) modules: BTreeMap<Vec<String>, PathBuf>,
    pub(crate) parsed: BTreeMap<PathBuf, Parsed>,
}

pub(crate) fn read_crate(src: &Path) -> Crate {
    let mut modules = BTreeMap::new();
    let mut parsed = BTreeMap::new();
    let mut todo = vec![(Vec::<String>::new(), PathBuf::from("lib.rs"))];
    while let Some((module, file)) = todo.pop() {
        assert!(
            src.join(&file).is_file(),
            "module {} is declared but {} is missing",
            module.join("::"),
            file.display()
        );
        let p = parse(src, &file, &module);
        modules.insert(module, file.clone());
        for inline in &p.inline {
            modules.insert(inline.clone(), file.clone());
        }
        todo.extend(p.children.iter().cloned());
        parsed.insert(file, p);
    }
    Crate { modules, parsed }
}

/// The module a path's first segments name, as an absolute module path, or
/// `None` for a path outside the crate (std, a dependency, a local item).
pub(crate) fn resolve(
    written: &Written,
    modules: &BTreeMap<Vec<String>, PathBuf>,
    names: &BTreeMap<String, Vec<String>>,
) -> Option<Vec<String>> {
    let segs = &written.segments;
    let mut at: Vec<String> = match segs.first()?.as_str() {
        "crate" => Vec::new(),
        "self" => written.scope.clone(),
        "super" => {
            let mut s = written.scope.clone();
            s.pop()?;
            s
        }
        first => {
            // a child module of the scope, of an inline scope's enclosing
            // modules in the same file (tests' `use super::*`), or a name a
            // `use` of this file brought in
            let child = (0..=written.scope.len()).rev().find_map(|n| {
                let mut p = written.scope[..n].to_vec();
                p.push(first.to_owned());
                let same_file = modules.get(&written.scope[..n]) == modules.get(&written.scope);
                (same_file && modules.contains_key(&p)).then_some(p)
            });
            match child {
                Some(p) => p,
                None => names.get(first)?.clone(),
            }
        }
    };
    for s in &segs[1..] {
        match s.as_str() {
            "super" => {
                at.pop()?;
            }
            "self" => {}
            _ => at.push(s.clone()),
        }
    }
    Some(at)
}

/// The file a path reaches (the deepest module on it) and the name it
/// reaches there (the module and one item: `finding::Location`, not
/// `finding::Location::new`).
pub(crate) fn target<'m>(
    path: &[String],
    modules: &'m BTreeMap<Vec<String>, PathBuf>,
) -> (&'m PathBuf, String) {
    let n = (0..=path.len())
        .rev()
        .find(|n| modules.contains_key(&path[..*n]))
        .unwrap();
    let name = path[..(n + 1).min(path.len())].join("::");
    (
        &modules[&path[..n]],
        if name.is_empty() {
            "crate".into()
        } else {
            name
        },
    )
}
