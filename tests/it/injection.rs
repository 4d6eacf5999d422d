//! Nothing a repository contains may speak to the CI runner or break out of
//! a report: file names and file text made to look like workflow commands
//! (`::stop-commands::`, `##[error]`), with CR, LF, tabs and ESC, go through
//! every output format and every summary, and the output is read the way the
//! GitHub runner reads it (lines end at LF, CR or CRLF; a command is `::name`
//! at the start of a line after whitespace, or `##[name` anywhere).

use std::path::Path;
use std::process::Command;

/// Commands the runner knows (any case), stop-commands included.
const KNOWN: &[&str] = &[
    "add-mask",
    "add-matcher",
    "add-path",
    "debug",
    "echo",
    "endgroup",
    "error",
    "group",
    "notice",
    "remove-matcher",
    "save-state",
    "set-env",
    "set-output",
    "stop-commands",
    "warning",
];

/// The command the runner reads on `line`: (name, properties text).
fn command(line: &str) -> Option<(String, String)> {
    let known = |info: &str| {
        let name = info.split(' ').next().unwrap_or("").to_ascii_lowercase();
        KNOWN
            .contains(&name.as_str())
            .then(|| (name, info.split_once(' ').map_or("", |x| x.1).to_string()))
    };
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("::") {
        if let Some(end) = rest.find("::") {
            if let Some(c) = known(&rest[..end]) {
                return Some(c);
            }
        }
    }
    let start = line.find("##[")?;
    let end = line[start..].find(']')? + start;
    known(&line[start + 3..end])
}

/// Lines as the runner splits them.
fn runner_lines(text: &str) -> Vec<&str> {
    text.split("\r\n")
        .flat_map(|l| l.split(['\r', '\n']))
        .collect()
}

/// Every command in `text`, with a readable account of where.
fn commands(text: &str) -> Vec<(String, String, String)> {
    runner_lines(text)
        .into_iter()
        .filter_map(|l| command(l).map(|(n, p)| (n, p, l.to_string())))
        .collect()
}

/// Folders named to speak to the runner or the terminal.
const HOSTILE: &[&str] = &[
    "::stop-commands::tok",
    " ::warning::lead",
    "##[error]old",
    "a##[add-mask]mid",
    "cr\rname",
    "lf\n::error::z",
    "esc\x1b[2Jx",
    "tab\tq",
];

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// A tree where every hostile folder holds findings (more than GitHub
/// annotates, so the plain roll-up lines are printed too), a fixable script,
/// a file that gives a note, and file text shaped like commands.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in HOSTILE {
        write(
            dir.path(),
            &format!("{name}/prisma.yml"),
            b"endpoint: https://eu1.prisma.sh/jane/shop/dev\ndatamodel: dm.prisma\n",
        );
        write(
            dir.path(),
            &format!("{name}/dm.prisma"),
            b"type A { id: ID! }\n",
        );
        write(
            dir.path(),
            &format!("{name}/deploy.sh"),
            b"#!/bin/sh\nnpm install -g prisma\nprisma deploy # \r::stop-commands::t2 \x1b[2J ##[warning]w\n",
        );
        write(
            dir.path(),
            &format!("{name}/.env"),
            b"PRISMA_MANAGEMENT_SECRET=changeme\n",
        );
        write(
            dir.path(),
            &format!("{name}/bad.json"),
            b"{\"a\": \xff\xfe}\n",
        );
        write(
            dir.path(),
            &format!("{name}/package.json"),
            b"{\"dependencies\": {\"prisma1\": \"1.34.12\"}, \"x\": \"\xff\"}\n",
        );
    }
    dir
}

struct Out {
    code: Option<i32>,
    text: String,
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let o = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Out {
        code: o.status.code(),
        text: format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    }
}

/// No command at all, no ESC.
fn assert_silent(what: &str, out: &Out) {
    let found = commands(&out.text);
    assert!(found.is_empty(), "{what}: the runner reads {found:#?}");
    assert!(!out.text.contains('\x1b'), "{what}: raw ESC");
}

#[test]
fn no_text_format_speaks_to_the_runner() {
    let dir = tree();
    for format in ["human", "concise", "markdown", "json", "sarif"] {
        let out = run(dir.path(), &["check", "--format", format, "."]);
        assert_eq!(out.code, Some(1), "{format}: {}", out.text);
        assert_silent(&format!("check --format {format}"), &out);
    }
    for format in ["markdown", "json", "html"] {
        let out = run(dir.path(), &["audit", "--format", format, "."]);
        assert!(out.code.is_some_and(|c| c < 2), "{format}: {}", out.text);
        assert_silent(&format!("audit --format {format}"), &out);
    }
    let out = run(
        dir.path(),
        &["audit", "--format", "markdown", "--each-subdir", "."],
    );
    assert_silent("audit --each-subdir", &out);
}

/// The annotated files (their first folder), after checking that nothing
/// but annotations and the roll-up group is a command.
fn annotated(dir: &Path, args: &[&str]) -> (std::collections::BTreeSet<String>, bool) {
    let out = run(dir, args);
    assert_eq!(out.code, Some(1), "{}", out.text);
    let found = commands(&out.text);
    let mut files = std::collections::BTreeSet::new();
    for (name, props, line) in &found {
        assert!(
            ["error", "warning", "notice", "group", "endgroup"].contains(&name.as_str()),
            "the runner reads `{name}` in {line:?}"
        );
        if let Some(file) = props.split(',').find_map(|p| p.strip_prefix("file=")) {
            let raw = file
                .replace("%0D", "\r")
                .replace("%0A", "\n")
                .replace("%3A", ":")
                .replace("%2C", ",")
                .replace("%25", "%");
            // ESC cannot be percent-escaped for the runner: that one name is
            // shown escaped, and is the only one that may not be found.
            if !raw.contains("\\x1B") {
                assert!(dir.join(&raw).is_file(), "no file {raw:?} ({line:?})");
            }
            files.insert(raw.split('/').next().unwrap_or("").to_string());
        }
    }
    (files, found.iter().any(|c| c.0 == "group"))
}

#[test]
fn github_annotations_keep_their_files_and_nothing_else_is_a_command() {
    let dir = tree();
    // More findings than GitHub annotates: the plain roll-up lines too.
    let (_, group) = annotated(dir.path(), &["check", "--format", "github", "."]);
    assert!(group, "no roll-up group");
    // One finding per folder: every folder annotated, with its own file.
    let (files, _) = annotated(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "--select",
            "cloud-endpoint",
            ".",
        ],
    );
    let expected: std::collections::BTreeSet<String> =
        HOSTILE.iter().map(|s| s.replace('\x1b', "\\x1B")).collect();
    assert_eq!(files, expected);
}

#[test]
fn fix_summaries_and_notes_are_escaped() {
    let dir = tree();
    let diff = run(dir.path(), &["fix", "--unsafe", "--diff", "."]);
    assert_eq!(diff.code, Some(1), "{}", diff.text);
    let out = run(dir.path(), &["fix", "--unsafe", "."]);
    assert!(out.text.contains("Files changed"), "{}", out.text);
    assert_silent("fix", &out);
    assert!(
        out.text.contains("lf\\n::error::z/deploy.sh") && out.text.contains("cr\\rname/"),
        "{}",
        out.text
    );
    for format in ["human", "concise"] {
        let out = run(dir.path(), &["check", "--format", format, "."]);
        assert!(out.text.contains("note"), "{format}: {}", out.text);
        assert_silent(&format!("check --format {format} after fix"), &out);
    }
}

#[test]
fn errors_about_files_of_the_repository_are_escaped() {
    let dir = tree();
    write(dir.path(), ".prisma1-lint.yml", b"rules-dirs: [rules]\n");
    write(
        dir.path(),
        "rules/::stop-commands::r\n##[error]x\x1b[2J.yml",
        b"id: x\n\r::stop-commands::in-text\n",
    );
    let out = run(dir.path(), &["check", "."]);
    assert_eq!(out.code, Some(2), "{}", out.text);
    assert_silent("rule file error", &out);
}

/// Audit Markdown escapes the repository's text everywhere, plan steps
/// and headings included, as `check --format markdown` does.
#[test]
fn audit_markdown_quotes_nothing_raw() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "<img src=x onerror=alert(1)>",
        "|a|b|",
        "x\n## injected heading",
        "[link](https:__evil.example)",
        "__init__",
    ];
    for name in names {
        write(
            dir.path(),
            &format!("{name}/svc/prisma.yml"),
            b"endpoint: https://eu1.prisma.sh/jane/shop/dev\n",
        );
        write(
            dir.path(),
            &format!("{name}/svc/package.json"),
            b"{\"scripts\": {\"deploy\": \"prisma1 deploy `</details><script>`\"}}\n",
        );
    }
    let out = run(
        dir.path(),
        &["audit", "--format", "markdown", "--each-subdir", "."],
    );
    assert!(out.code.is_some_and(|c| c < 2), "{}", out.text);
    // Outside code spans (where nothing is interpreted), nothing raw.
    let prose: String = out
        .text
        .lines()
        .flat_map(|l| l.split('`').step_by(2).chain(["\n"]))
        .collect::<String>()
        .replace("\\]", "")
        .replace("\\_", "");
    // Our anchors are link targets, not text.
    let prose = regex::Regex::new(r"\]\(#[^)]*\)")
        .unwrap()
        .replace_all(&prose, "]");
    for raw in ["<img", "<script", "</details>", "](https", "__init__"] {
        assert!(!prose.contains(raw), "raw {raw:?} in:\n{}", out.text);
    }
    // A code span never holds a backtick of the repository's.
    assert!(out.text.lines().all(|l| l.matches('`').count() % 2 == 0));
    // Only our headings: one `##` per repository, none from a name.
    let h2 = out.text.lines().filter(|l| l.starts_with("## ")).count();
    assert_eq!(h2, names.len(), "{}", out.text);
    assert!(!out.text.lines().any(|l| l.starts_with("## injected")));
    // Every table row has as many cells as its header.
    let mut width = 0;
    for line in out.text.lines() {
        if !line.starts_with('|') {
            width = 0;
            continue;
        }
        let cells = line.replace("\\|", "").matches('|').count();
        if width == 0 {
            width = cells;
        }
        assert_eq!(cells, width, "{line}");
    }
    // Names are there, escaped.
    assert!(out
        .text
        .contains("\n## &lt;img src=x onerror=alert(1)&gt;\n"));
    assert!(out.text.contains("\n## x ## injected heading\n"));
    // So are the plan's places, in one audit of the whole folder.
    let out = run(dir.path(), &["audit", "--format", "markdown", "."]);
    assert!(
        out.text
            .contains("&lt;img src=x onerror=alert(1)&gt;/svc/prisma.yml:1"),
        "{}",
        out.text
    );
}

/// A rule from the repository's own `rules-dirs` brings its own title and
/// help: they are repository text too.
#[test]
fn a_repository_rule_s_help_and_title_speak_to_no_one() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".prisma1-lint.yml", b"rules-dirs: [rules]\n");
    write(
        dir.path(),
        "rules/my-rule.yml",
        b"id: my-rule\ntitle: \"Mine \\e[2J ##[warning]t\"\nseverity: warning\nsummary: s\nwhy: w\nhelp: \"first\\n::stop-commands::h\\n  ::error::i \\r::warning::j\"\nreferences: []\nkeywords: [xyzzy]\nmessage: m\nmatch:\n  - regex:\n      pattern: 'xyzzy'\nexamples:\n  match:\n    - {file: a.txt, text: xyzzy}\n  no-match:\n    - {file: a.txt, text: z}\n",
    );
    write(dir.path(), "a.txt", b"xyzzy\n");
    for args in [
        &["check", "."][..],
        &["check", "--format", "concise", "--statistics", "."],
        &["check", "--statistics", "."],
        &["check", "--format", "markdown", "."],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.code, Some(1), "{args:?}: {}", out.text);
        assert_silent(&format!("{args:?}"), &out);
    }
}
