//! Hostile repositories: every input is generated here, at test time (no
//! large file is committed). Each case asserts that the scan completes (under
//! a watchdog), does not panic, says what happened, and still reports the
//! findings of the other files. Time and memory figures are in
//! `bench/hostile.sh`, not here.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs the binary, killing it (and failing) if it outlives `WATCHDOG`.
fn run(args: &[&str], dir: &Path) -> Run {
    run_env(args, dir, &[])
}

const WATCHDOG: Duration = Duration::from_secs(90);

fn run_env(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn prisma1-lint");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("prisma1-lint {args:?} did not finish in {WATCHDOG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
    }
}

fn write(dir: &Path, path: &str, bytes: impl AsRef<[u8]>) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

/// A repository with one known finding, to check it survives the hostile part.
/// In memory (/dev/shm) when there is one: some cases create 100,000 files.
fn repo() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    write(
        dir.path(),
        "good/prisma.yml",
        "endpoint: https://eu1.prisma.sh/jane/shop/dev\n",
    );
    dir
}

fn findings_in(v: &serde_json::Value, path: &str) -> usize {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .count()
}

fn problems(v: &serde_json::Value) -> Vec<(String, String)> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap_or("").to_string(),
                p["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A scan that completes with findings (exit 1), the good one included.
fn scan_ok(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(".");
    let r = run(&args, dir);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let v = r.json();
    assert_eq!(findings_in(&v, "good/prisma.yml"), 1, "{}", r.stdout);
    v
}

// ---- Security -----------------------------------------------------------

#[test]
fn a_config_linked_to_the_environment_prints_nothing_of_it() {
    let dir = repo();
    std::os::unix::fs::symlink("/proc/self/environ", dir.path().join(".prisma1-lint.yml")).unwrap();
    let r = run_env(
        &["check", "."],
        dir.path(),
        &[("HOSTILE_CANARY", "cnryEnviron42")],
    );
    assert_eq!(r.code, Some(2));
    assert!(r.all().contains("outside the repository"), "{}", r.all());
    assert!(!r.all().contains("cnryEnviron42") && !r.all().contains("PATH="));
}

#[test]
fn a_config_linked_to_pagemap_or_passwd_is_not_read() {
    for target in ["/proc/self/pagemap", "/etc/passwd"] {
        let dir = repo();
        std::os::unix::fs::symlink(target, dir.path().join(".prisma1-lint.yml")).unwrap();
        let r = run(&["check", "."], dir.path());
        assert_eq!(r.code, Some(2), "{target}");
        assert!(!r.all().contains("root:"), "{}", r.all());
    }
}

#[test]
fn a_config_inside_the_repository_that_fails_echoes_only_a_token() {
    let dir = repo();
    write(
        dir.path(),
        "ci.env",
        "DEPLOY_TOKEN=cnryToken1\nAWS_KEY=cnryAws2\n",
    );
    std::os::unix::fs::symlink("ci.env", dir.path().join(".prisma1-lint.yml")).unwrap();
    let r = run(&["check", "."], dir.path());
    assert_eq!(r.code, Some(2));
    assert!(!r.all().contains("cnry"), "{}", r.all());
}

#[test]
fn rules_dirs_out_of_the_repository_are_refused() {
    for dir_value in ["/etc", "../../..", "linked"] {
        let dir = repo();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
        write(
            dir.path(),
            ".prisma1-lint.yml",
            format!("rules-dirs: [{dir_value}]\n"),
        );
        let r = run(&["check", "."], dir.path());
        assert_eq!(r.code, Some(2), "{dir_value}");
        assert!(r.all().contains("outside the repository"), "{}", r.all());
    }
}

#[test]
fn audit_reads_no_datamodel_through_a_linked_folder() {
    let dir = repo();
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "dm.graphql",
        "type A { id: ID! }\ntype B { id: ID! }\n",
    );
    std::os::unix::fs::symlink(outside.path(), dir.path().join("good/linked")).unwrap();
    write(
        dir.path(),
        "good/prisma.yml",
        "endpoint: https://eu1.prisma.sh/jane/shop/dev\ndatamodel: linked/dm.graphql\n",
    );
    let r = run(&["audit", "--format", "json", "."], dir.path());
    assert!(r.code.is_some_and(|c| c < 2), "{}", r.stderr);
    let v = r.json();
    let dms = &v["repositories"][0]["code"]["datamodels"];
    let types: Vec<u64> = dms
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["types"].as_u64()).collect())
        .unwrap_or_default();
    assert_eq!(types, vec![0], "{dms}");
}

#[test]
fn control_characters_in_file_names_are_escaped() {
    let dir = repo();
    write(
        dir.path(),
        "evil\x1b[2J\rname\n.js",
        "const u = 'https://us1.prisma.sh/a/b/c'\n",
    );
    for format in ["human", "github", "markdown"] {
        let r = run(&["check", "--format", format, "."], dir.path());
        assert_eq!(r.code, Some(1));
        assert!(!r.stdout.contains('\x1b'), "{format}: raw ESC");
        assert!(r.stdout.contains("x1B"), "{format}: {}", r.stdout);
    }
}

// ---- Panics ------------------------------------------------------------

#[test]
fn a_json_escape_before_a_multibyte_char_does_not_panic() {
    let dir = repo();
    for name in ["package.json", "app.json", "vercel.json"] {
        write(
            dir.path(),
            &format!("{name}-dir/{name}"),
            r#"{"scripts":{"prisma":"\é"}}"#,
        );
    }
    let v = scan_ok(dir.path(), &[]);
    assert_eq!(
        v["summary"]["files_scanned"].as_u64().map(|n| n >= 4),
        Some(true)
    );
}

// ---- Bounds --------------------------------------------------------------

fn alias_bomb() -> String {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            [prev.as_str(); 9].join(", ")
        ));
    }
    text
}

#[test]
fn yaml_alias_bombs_are_a_note() {
    let dir = repo();
    let bomb = alias_bomb();
    write(
        dir.path(),
        "p/prisma.yml",
        format!("endpoint: http://localhost:4466\n{bomb}"),
    );
    write(
        dir.path(),
        "docker-compose.yml",
        format!("{bomb}services:\n  prisma:\n    image: prismagraphql/prisma:1.34\n"),
    );
    write(
        dir.path(),
        ".github/workflows/ci.yml",
        format!("{bomb}jobs:\n  d:\n    steps:\n      - run: prisma1 deploy\n"),
    );
    let v = scan_ok(dir.path(), &[]);
    let notes = problems(&v);
    for path in [
        "p/prisma.yml",
        "docker-compose.yml",
        ".github/workflows/ci.yml",
    ] {
        assert!(
            notes
                .iter()
                .any(|(p, m)| p == path && m.contains("aliases")),
            "{path}: {notes:?}"
        );
    }
}

#[test]
fn a_line_of_a_million_backticks_is_one_fence() {
    let dir = repo();
    // The fence of 1 MiB of backticks is never closed, so the bash block
    // after it is its body, not a block of its own: no command is read.
    write(
        dir.path(),
        "docs/README.md",
        format!(
            "prisma1\n{}\n```bash\nprisma1 deploy\n```\n",
            "`".repeat(1 << 20)
        ),
    );
    write(
        dir.path(),
        "docs/deploy.md",
        "prisma1\n```bash\nprisma1 deploy\n```\n",
    );
    let v = scan_ok(dir.path(), &[]);
    assert_eq!(findings_in(&v, "docs/README.md"), 0, "{v}");
    assert!(findings_in(&v, "docs/deploy.md") > 0, "{v}");
}

#[test]
fn long_lines_and_many_matches_are_capped_and_clipped() {
    let dir = repo();
    // One 900 KB line with 30,000 endpoints; 30,000 lines with one each;
    // a 48 KB one-line script with 3,000 commands.
    write(
        dir.path(),
        "bundle.js",
        "x https://eu1.prisma.sh/a/b/c ".repeat(30_000),
    );
    write(
        dir.path(),
        "many.js",
        "x https://eu1.prisma.sh/a/b/c\n".repeat(30_000),
    );
    write(dir.path(), "run.sh", "prisma1 deploy; ".repeat(3_000));
    let v = scan_ok(dir.path(), &[]);
    assert_eq!(
        findings_in(&v, "bundle.js"),
        1,
        "one finding per rule and line"
    );
    assert_eq!(findings_in(&v, "many.js"), 200);
    let notes = problems(&v);
    assert!(
        notes
            .iter()
            .any(|(p, m)| p == "many.js" && m.contains("only the first 200")),
        "{notes:?}"
    );
    let run_sh = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "run.sh")
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect::<Vec<_>>();
    assert!(!run_sh.is_empty());
    let mut per_rule = std::collections::BTreeMap::new();
    for r in &run_sh {
        *per_rule.entry(r.clone()).or_insert(0) += 1;
    }
    assert!(per_rule.values().all(|&n| n <= 200), "{per_rule:?}");
    // Snippets are clipped around their span.
    let longest = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["snippet"].as_str().unwrap_or("").len())
        .max()
        .unwrap_or(0);
    assert!(longest < 4096, "a {longest}-byte snippet");
}

#[test]
fn the_largest_max_file_size_does_not_wrap_to_zero() {
    let dir = repo();
    let v = scan_ok(dir.path(), &["--max-file-size", "18446744073709551615"]);
    assert_eq!(v["summary"]["skipped_large"], 0);
}

#[test]
fn files_at_and_over_the_size_limit() {
    let dir = repo();
    let body = "e https://us1.prisma.sh/a/b/c\n";
    write(
        dir.path(),
        "at.js",
        format!("{}{body}", " ".repeat(200 - body.len())),
    );
    write(
        dir.path(),
        "over.js",
        format!("{}{body}", " ".repeat(201 - body.len())),
    );
    let v = scan_ok(dir.path(), &["--max-file-size", "200"]);
    assert_eq!(findings_in(&v, "at.js"), 1);
    assert_eq!(findings_in(&v, "over.js"), 0);
    assert_eq!(v["summary"]["skipped_large"], 1);
}

#[test]
fn many_threads_are_capped() {
    let dir = repo();
    scan_ok(dir.path(), &["-j", "100000"]);
}

// ---- Input handling -------------------------------------------------------

#[test]
fn byte_order_marks_and_utf16_are_decoded() {
    let dir = repo();
    write(
        dir.path(),
        "pkg/package.json",
        b"\xEF\xBB\xBF{\"dependencies\": {\"prisma-binding\": \"2.0.0\"}}",
    );
    write(
        dir.path(),
        "env/.env",
        b"\xEF\xBB\xBFPRISMA_ENDPOINT=https://eu1.prisma.sh/a/b/c\n",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "const u = 'https://us1.prisma.sh/x/y/z'\r\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    write(dir.path(), "utf16.js", utf16);
    let v = scan_ok(dir.path(), &[]);
    let find = |path: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(find("pkg/package.json")["rule"], "prisma1-dependency");
    assert_eq!(find("env/.env")["column"], 17, "the BOM is not a column");
    assert_eq!(find("utf16.js")["rule"], "cloud-endpoint");
    assert!(!problems(&v).iter().any(|(p, _)| p == "pkg/package.json"));
}

#[test]
fn invalid_utf8_is_a_note_and_still_scanned() {
    let dir = repo();
    write(
        dir.path(),
        "latin1.js",
        b"// caf\xe9\nconst u = 'https://us1.prisma.sh/x/y/z'\n",
    );
    let v = scan_ok(dir.path(), &[]);
    assert_eq!(findings_in(&v, "latin1.js"), 1);
    assert!(problems(&v)
        .iter()
        .any(|(p, m)| p == "latin1.js" && m.contains("not valid UTF-8") && m.contains("line 1")));
}

#[test]
fn bad_config_sizes_are_errors_with_a_span() {
    for value in [
        "-1",
        "1.5e9",
        "99999999999999999999999",
        "99999999999999GiB",
    ] {
        let dir = repo();
        write(
            dir.path(),
            ".prisma1-lint.yml",
            format!("max-file-size: {value}\n"),
        );
        let r = run(&["check", "."], dir.path());
        assert_eq!(r.code, Some(2), "{value}: {}", r.all());
        assert!(r.all().contains("max-file-size"), "{}", r.all());
        assert!(r.all().contains(".prisma1-lint.yml:1:"), "{}", r.all());
    }
}

#[test]
fn rules_given_a_file_says_it_is_a_file() {
    let dir = repo();
    write(dir.path(), "one.yml", "id: x\n");
    let r = run(&["check", "--rules", "one.yml", "."], dir.path());
    assert_eq!(r.code, Some(2));
    assert!(r.all().contains("is a file"), "{}", r.all());
}

#[test]
fn binary_nul_late_crlf_and_deep_nesting() {
    let dir = repo();
    write(
        dir.path(),
        "bin.dat",
        b"\x00\x01 https://eu1.prisma.sh/a/b/c",
    );
    let mut late = vec![b' '; 9000];
    late.extend_from_slice(b"\x00 https://eu1.prisma.sh/a/b/c\n");
    write(dir.path(), "late-nul.txt", late);
    write(
        dir.path(),
        "crlf/prisma.yml",
        "datamodel: x\r\nendpoint: https://eu1.prisma.sh/a/b/c\r\n",
    );
    write(
        dir.path(),
        "deep/prisma.yml",
        format!("endpoint: {}", "[".repeat(100_000)),
    );
    write(
        dir.path(),
        "deep2/package.json",
        format!("{{\"prisma\": {}", "[".repeat(100_000)),
    );
    write(
        dir.path(),
        "deep3/.github/workflows/x.yml",
        format!("{}prisma1 deploy", "- ".repeat(100_000)),
    );
    write(
        dir.path(),
        "lock/package-lock.json",
        "{\"packages\": {\"node_modules/prisma\": {\"version\": ".repeat(5000),
    );
    write(
        dir.path(),
        "lock/yarn.lock",
        "prisma@^1:\n  version \"".repeat(20_000),
    );
    write(
        dir.path(),
        "lock/package.json",
        "{\"dependencies\": {\"prisma\": \"^1.34\"}}",
    );
    let v = scan_ok(dir.path(), &[]);
    assert_eq!(v["summary"]["skipped_binary"], 1);
    assert_eq!(
        findings_in(&v, "late-nul.txt"),
        1,
        "NUL after 8 KiB is text"
    );
    let crlf = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "crlf/prisma.yml")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (crlf["line"].as_u64(), crlf["end_column"].as_u64()),
        (Some(2), Some(38))
    );
    let notes = problems(&v);
    for p in ["deep/prisma.yml", "deep2/package.json"] {
        assert!(notes.iter().any(|(path, _)| path == p), "{p}: {notes:?}");
    }
}

// ---- The file system ---------------------------------------------------------

#[test]
fn links_fifos_sockets_and_odd_names() {
    let dir = repo();
    let p = dir.path();
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "out.js",
        "const u = 'https://us1.prisma.sh/out/side/x'\n",
    );
    std::os::unix::fs::symlink(outside.path(), p.join("dir-out")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("out.js"), p.join("file-out.js")).unwrap();
    std::os::unix::fs::symlink("nowhere", p.join("dangling.js")).unwrap();
    std::os::unix::fs::symlink("loop2", p.join("loop1")).unwrap();
    std::os::unix::fs::symlink("loop1", p.join("loop2")).unwrap();
    std::os::unix::fs::symlink(".", p.join("self")).unwrap();
    let fifo = p.join("fifo.js");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let _sock = std::os::unix::net::UnixListener::bind(p.join("sock.js")).unwrap();
    for name in [
        "-rf.js",
        "sp ace.js",
        "ünï.js",
        "per%cent.js",
        "co:lon,.js",
        "back\\slash.js",
        "new\nline.js",
    ] {
        write(p, name, "const u = 'https://us1.prisma.sh/a/b/c'\n");
    }
    let v = scan_ok(p, &[]);
    let all = v.to_string();
    assert!(!all.contains("out/side"), "followed a link out of the root");
    for name in [
        "-rf.js",
        "sp ace.js",
        "ünï.js",
        "per%cent.js",
        "co:lon,.js",
        "back\\slash.js",
        "new\nline.js",
    ] {
        assert_eq!(findings_in(&v, name), 1, "{name}");
    }
}

#[test]
fn a_hundred_thousand_empty_files() {
    let dir = repo();
    for d in 0..100 {
        let sub = dir.path().join(format!("d{d}"));
        std::fs::create_dir(&sub).unwrap();
        for f in 0..1000 {
            std::fs::File::create(sub.join(f.to_string())).unwrap();
        }
    }
    let v = scan_ok(dir.path(), &[]);
    assert!(v["summary"]["files_scanned"].as_u64().unwrap_or(0) >= 100_000);
}

#[test]
fn twenty_thousand_nested_folders() {
    let dir = repo();
    // Deeper than PATH_MAX: built and removed with relative paths.
    let script = "import os,sys\nos.chdir(sys.argv[1])\nfor _ in range(20000):\n    os.mkdir('d'); os.chdir('d')\nopen('x.js','w').write('https://eu1.prisma.sh/a/b/c')\n";
    let made = Command::new("python3")
        .args(["-c", script])
        .arg(dir.path())
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("python3 not available; skipped");
        return;
    }
    let v = scan_ok(dir.path(), &[]);
    // Walk errors keep a relative path.
    for (path, message) in problems(&v) {
        assert!(
            !path.starts_with('/') && !message.contains(&*dir.path().to_string_lossy()),
            "{path}: {message}"
        );
    }
    let clean = "import os,sys\nos.chdir(sys.argv[1])\nn=0\nwhile os.path.isdir('d'):\n    os.chdir('d'); n+=1\nfor f in os.listdir('.'): os.remove(f)\nfor _ in range(n):\n    os.chdir('..'); os.rmdir('d')\n";
    let _ = Command::new("python3")
        .args(["-c", clean])
        .arg(dir.path())
        .status();
}

#[test]
fn files_vanishing_during_the_scan() {
    let dir = repo();
    for i in 0..4000 {
        write(
            dir.path(),
            &format!("gone/f{i}.js"),
            "const u = 'https://us1.prisma.sh/jane/shop/dev';\n",
        );
    }
    // Delete the files while the scan walks and reads them.
    let root = dir.path().join("gone");
    let deleter = std::thread::spawn(move || {
        for i in 0..4000 {
            let _ = std::fs::remove_file(root.join(format!("f{i}.js")));
        }
    });
    let r = run(&["check", "--format", "json", "-j", "2", "."], dir.path());
    deleter.join().unwrap();
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let v = r.json();
    assert_eq!(findings_in(&v, "good/prisma.yml"), 1, "{}", r.stdout);
    // A file that went between the walk and the read is a problem with its
    // path, never an empty or absolute one.
    for (path, message) in problems(&v) {
        assert!(
            !path.is_empty() && !path.starts_with('/'),
            "{path}: {message}"
        );
    }
}
