//! Bounds on hostile repositories of the second round: work linear in the
//! input (many installs before one command), budgets on what a repository's
//! own config and rules may cost (compiled size, nesting), what a budget
//! drops becoming a note, and notes that stay short however much is stale.
//! Every input is generated here; the figures are in `bench/hostile.sh`.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }
}

/// Runs the binary in `dir`, failing when it outlives `limit`: a linear run
/// takes a small part of it even in a debug build on a busy machine, and the
/// quadratic one it replaces takes many times it.
fn run(args: &[&str], dir: &Path, limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .env("NO_COLOR", "1")
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
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("prisma1-lint {args:?} did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
        took: started.elapsed(),
    }
}

fn write(dir: &Path, path: &str, bytes: impl AsRef<[u8]>) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

fn tempdir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    }
}

fn lines_of(v: &serde_json::Value, rule: &str) -> Vec<u64> {
    let mut lines: Vec<u64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    lines.sort_unstable();
    lines
}

// ---- Unpinned global installs ------------------------------------------

const INSTALL: &str = "npm install -g prisma\n";

/// Was 200 s in a debug build (each install walked every later command).
#[test]
fn many_installs_before_one_deploy_are_judged_in_one_pass() {
    let dir = tempdir();
    write(
        dir.path(),
        "deploy.sh",
        INSTALL.repeat(40_000) + "prisma deploy\n",
    );
    let r = run(
        &["check", "--format", "json", "."],
        dir.path(),
        Duration::from_secs(60),
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines = lines_of(&r.json(), "unpinned-global-cli");
    assert_eq!(lines, (1..=200).collect::<Vec<_>>(), "took {:?}", r.took);
}

#[test]
fn fix_pins_many_installs_in_linear_time() {
    let dir = tempdir();
    write(
        dir.path(),
        "deploy.sh",
        INSTALL.repeat(16_000) + "prisma deploy\n",
    );
    let r = run(&["fix", "."], dir.path(), Duration::from_secs(60));
    assert!(r.code.is_some(), "{}", r.all());
    let text = std::fs::read_to_string(dir.path().join("deploy.sh")).unwrap();
    assert!(
        text.starts_with("npm install -g prisma@1.34.10\n"),
        "{}",
        r.all()
    );
}

/// A small deterministic generator, so the invariant below sees many
/// orders of installs, relevant and irrelevant commands.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// An install is reported exactly when a relevant Prisma 1 command follows
/// it somewhere later in the file, whatever lies between.
#[test]
fn an_install_is_reported_when_a_relevant_command_follows_it() {
    const LINES: [(&str, bool); 6] = [
        ("npm install -g prisma", false),
        ("yarn global add prisma@latest", false),
        ("prisma deploy", true),
        ("prisma generate", false),
        ("prisma migrate deploy", false),
        ("echo prisma token", false),
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for round in 0..40 {
        let dir = tempdir();
        let n = 1 + (xorshift(&mut state) % 30) as usize;
        let script: Vec<(&str, bool)> = (0..n)
            .map(|_| LINES[(xorshift(&mut state) % LINES.len() as u64) as usize])
            .collect();
        let text: String = script.iter().map(|(l, _)| format!("{l}\n")).collect();
        write(dir.path(), "ci/deploy.sh", &text);
        let expected: Vec<u64> = (0..n)
            .filter(|&i| script[i].0.contains("global") || script[i].0.contains("-g "))
            .filter(|&i| script[i + 1..].iter().any(|(_, relevant)| *relevant))
            .map(|i| i as u64 + 1)
            .collect();
        let out = prisma1_lint::app::check_outputs(dir.path(), &[prisma1_lint::cli::Format::Json])
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out[0]).unwrap();
        assert_eq!(
            lines_of(&v, "unpinned-global-cli"),
            expected,
            "round {round}:\n{text}"
        );
    }
}
