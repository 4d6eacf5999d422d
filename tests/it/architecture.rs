//! The module graph of each crate (`src/`, `crates/core/src/`) has no circles. Every path a file writes
//! (`use` trees and inline paths; `crate::`, `super::`, `self::`, a child
//! module's name or a name a `use` brought in) is resolved the way the
//! compiler resolves it, and becomes an arrow from that file to the file that
//! defines the module it reaches; the arrows must form no cycle between
//! files. ARCHITECTURE.md says which way they point. A failure names the
//! files of each circle and the paths that tie them.

mod lex;
mod modules;

use lex::{tokens, Token};
use modules::{read_crate, resolve, target, Crate};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// file -> file -> the paths (resolved, from the crate root) that make the arrow.
type Arrows = BTreeMap<PathBuf, BTreeMap<PathBuf, BTreeSet<String>>>;

fn arrows(krate: &Crate) -> Arrows {
    let mut arrows = Arrows::new();
    for (file, parsed) in &krate.parsed {
        // the names this file's `use` items bind; a use may start from a
        // name another use bound, so settle them in rounds
        let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for _ in 0..4 {
            for w in parsed.paths.iter().filter(|w| w.is_use) {
                if let (Some(bind), Some(to)) = (&w.binds, resolve(w, &krate.modules, &names)) {
                    names.entry(bind.clone()).or_insert(to);
                }
            }
        }
        let entry = arrows.entry(file.clone()).or_default();
        for w in &parsed.paths {
            let Some(to) = resolve(w, &krate.modules, &names) else {
                continue;
            };
            let (to_file, name) = target(&to, &krate.modules);
            if to_file != file {
                entry.entry(to_file.clone()).or_default().insert(name);
            }
        }
    }
    arrows
}

/// Strongly connected components with more than one file (Tarjan).
fn circles(arrows: &Arrows) -> Vec<Vec<PathBuf>> {
    struct State<'g> {
        arrows: &'g Arrows,
        index: BTreeMap<&'g PathBuf, usize>,
        low: BTreeMap<&'g PathBuf, usize>,
        stack: Vec<&'g PathBuf>,
        on_stack: BTreeSet<&'g PathBuf>,
        out: Vec<Vec<PathBuf>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g PathBuf) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.arrows.get(v).into_iter().flat_map(BTreeMap::keys) {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        arrows,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in arrows.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}

fn describe(arrows: &Arrows, found: &[Vec<PathBuf>]) -> String {
    let mut report = String::new();
    for circle in found {
        report.push_str(&format!("circle of {} files:\n", circle.len()));
        for from in circle {
            for (to, names) in &arrows[from] {
                if circle.contains(to) {
                    let mut shown: Vec<_> = names.iter().take(4).cloned().collect();
                    if names.len() > 4 {
                        shown.push(format!("(+{})", names.len() - 4));
                    }
                    report.push_str(&format!(
                        "  {} -> {}: {}\n",
                        from.display(),
                        to.display(),
                        shown.join(", ")
                    ));
                }
            }
        }
    }
    report
}

fn rust_files(dir: &Path, src: &Path, out: &mut BTreeSet<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, src, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.insert(path.strip_prefix(src).unwrap().to_path_buf());
        }
    }
}

#[test]
fn the_module_graph_has_no_circles() {
    // Both crates of the workspace: the lower floors (`crates/core`) and the
    // rest. The compiler already keeps `crates/core` from importing the
    // other crate; inside each crate, this test keeps the files acyclic.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for src in [root.join("src"), root.join("crates/core/src")] {
        let krate = read_crate(&src);
        // every file of src/ but the binary's is a module the walk reached, so
        // none is left out of the graph
        let mut files = BTreeSet::new();
        rust_files(&src, &src, &mut files);
        files.remove(Path::new("main.rs"));
        let reached: BTreeSet<PathBuf> = krate.parsed.keys().cloned().collect();
        assert_eq!(
            files,
            reached,
            "files of {} the module walk did not reach",
            src.display()
        );
        let arrows = arrows(&krate);
        let count = arrows.values().map(BTreeMap::len).sum::<usize>();
        assert!(
            count > 100,
            "{}: too few arrows found ({count}); the parser is broken",
            src.display()
        );
        let found = circles(&arrows);
        assert!(found.is_empty(), "{}", describe(&arrows, &found));
    }
}

/// The checker itself: it sees the circles it is shown, through grouped
/// `use` trees, `super::`, child modules, names a `use` binds and inline
/// paths; and it ignores paths in comments and strings and a test module's
/// `use super::*`.
#[test]
fn the_circle_check_sees_circles() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let write = |path: &str, text: &str| {
        let path = src.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let check = |src: &Path| {
        let krate = read_crate(src);
        let arrows = arrows(&krate);
        (circles(&arrows), arrows)
    };
    let files = |names: &[&str]| -> Vec<PathBuf> { names.iter().map(PathBuf::from).collect() };
    write("lib.rs", "mod a; mod b; pub mod c;");
    write(
        "a/mod.rs",
        "mod inner;\nuse crate::{b::{Thing, other as o}, c};\n// crate::c::nothing in a comment\n\
         #[cfg(test)]\nmod tests { use super::*; fn t() { inner::go(); } }",
    );
    write("a/inner.rs", "pub fn go() { let _ = '\"'; }");
    write("b.rs", "use crate::c;\nfn f() { c::go(); }");
    write(
        "c.rs",
        "fn g() -> crate::a::A { let _ = \"crate::b::x\"; todo!() }\n\
         #[path = \"c_tests.rs\"]\nmod tests;",
    );
    write("c_tests.rs", "use super::*;");
    let (found, arrows) = check(&src);
    assert_eq!(found, vec![files(&["a/mod.rs", "b.rs", "c.rs"])]);
    assert!(describe(&arrows, &found).contains("b.rs -> c.rs: c, c::go\n"));
    // the `#[path]` test file reaches its parent, c.rs, and no further; the
    // test module's paths stay in a/mod.rs's own module tree
    assert_eq!(
        arrows[Path::new("c_tests.rs")].keys().collect::<Vec<_>>(),
        vec![Path::new("c.rs")]
    );
    assert!(arrows[Path::new("a/mod.rs")].contains_key(Path::new("a/inner.rs")));

    // without the inline path in c.rs there is no circle, and the string
    // literal alone does not make one
    write("c.rs", "fn g() { let _ = \"crate::a::x\"; }");
    assert!(check(&src).0.is_empty());

    // a child's `super::` back to a parent that uses the child is a circle
    write("a/inner.rs", "pub fn go() { super::helper(); }");
    assert_eq!(check(&src).0, vec![files(&["a/inner.rs", "a/mod.rs"])]);
    // and so is a `use super::x` reaching a sibling that uses this file
    write("lib.rs", "mod a; mod b; pub mod c; mod d;");
    write(
        "a/inner.rs",
        "use super::super::d as dee; fn f() { dee::x(); }",
    );
    write("d.rs", "fn f() { crate::a::inner::go(); }");
    let (found, arrows) = check(&src);
    assert_eq!(found, vec![files(&["a/inner.rs", "d.rs"])]);
    assert!(arrows[Path::new("a/inner.rs")][Path::new("d.rs")].contains("d::x"));

    // a re-export is an arrow from the file that writes it: moving a type
    // down and re-exporting it from where it was keeps the circle
    write("lib.rs", "mod a; mod b; pub mod c; mod d; mod low;");
    write("a/inner.rs", "pub fn go() {}");
    write(
        "d.rs",
        "pub use crate::low::Thing;\nfn f() { crate::b::g(); }",
    );
    write("low.rs", "pub struct Thing;");
    write("b.rs", "use crate::d::Thing;\npub fn g() {}");
    assert_eq!(check(&src).0, vec![files(&["b.rs", "d.rs"])]);
    write("b.rs", "use crate::low::Thing;\npub fn g() {}");
    assert!(check(&src).0.is_empty());
}

/// The lexer keeps paths in code and drops them in comments and literals of
/// every kind, including raw strings that contain quotes and lifetimes that
/// look like the start of a char.
#[test]
fn the_lexer_skips_comments_and_literals() {
    let text = r####"
        /* crate::x /* nested crate::y */ */ fn f<'a>(s: &'a str) -> char {
            let _ = r#"crate::z " still a string"#; let _ = b"crate::w";
            let _ = '\''; let _ = '"'; let _ = b'x';
            crate::kept::path(); 'q'
        }
    "####;
    let paths: Vec<String> = tokens(text)
        .windows(3)
        .filter(|w| w[0] == Token::Ident("crate".into()) && w[1] == Token::Sep)
        .map(|w| format!("{:?}", w[2]))
        .collect();
    assert_eq!(paths, vec![format!("{:?}", Token::Ident("kept".into()))]);
}
