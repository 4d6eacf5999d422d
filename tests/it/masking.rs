//! Secrets are cut exactly where they are, and the tool's own words never.
//!
//! - Every output (check in each format, the baseline file, each audit
//!   format, `fix --diff`) of the canary repository (`masking_forms.rs`: over
//!   120 forms) holds no canary, raw or ANSI-stripped or JSON-, URL- or
//!   HTML-unescaped, while the marker next to each canary does show.
//! - Replacing every secret with a fresh random value of the same shape
//!   changes no byte of any output, in the canary repository and in every
//!   test fixture: nothing outside a mask depends on a secret.
//! - Placeholder secrets (`prisma`, `secret`, `deploy`, ...) change no rule
//!   id, path, host or the tool's name in any output.

#[path = "masking_forms.rs"]
mod forms;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the tool printed, by output name.
type Outputs = BTreeMap<String, String>;

fn canary(n: usize) -> String {
    format!("cnry{n:03}q{n:03}yrnc")
}

fn marker(n: usize) -> String {
    format!("ctx{n:03}mk")
}

/// A repository written from `files` (see `masking_forms.rs`).
struct Planted {
    canaries: Vec<String>,
    markers: Vec<String>,
    /// Lines holding at least one canary.
    forms: usize,
}

fn plant(root: &Path, files: &[(&str, &str)]) -> Planted {
    let mut p = Planted {
        canaries: Vec::new(),
        markers: Vec::new(),
        forms: 0,
    };
    for (path, text) in files {
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            if line.contains("{C}") {
                p.forms += 1;
            }
            let m = marker(p.markers.len());
            if line.contains("{M}") {
                p.markers.push(m.clone());
            }
            let mut l = line.replace("{M}", &m).replace("{U}", forms::URL);
            while let Some(i) = l.find("{C}") {
                let c = canary(p.canaries.len());
                l.replace_range(i..i + 3, &c);
                p.canaries.push(c);
            }
            out.push_str(&l);
        }
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, out).unwrap();
    }
    p
}

fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run prisma1-lint");
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every output of `repo` (a folder named `repo`, so names in the audit
/// match between copies), timings and the baseline's own path normalised.
fn outputs(repo: &Path, replace_endpoint: bool) -> Outputs {
    let mut all = Outputs::new();
    let mut put = |name: String, (out, err): (String, String)| {
        all.insert(format!("{name} stdout"), out);
        all.insert(format!("{name} stderr"), err);
    };
    for f in ["human", "concise", "json", "sarif", "github", "markdown"] {
        put(
            format!("check {f}"),
            run(repo, &["check", "--format", f, "."]),
        );
    }
    put(
        "check human (colour)".into(),
        run(repo, &["check", "--color", "always", "."]),
    );
    let baseline = repo.parent().unwrap().join("baseline.json");
    let b = baseline.to_str().unwrap();
    put(
        "write-baseline".into(),
        run(repo, &["check", "--write-baseline", b, "."]),
    );
    put(
        "baseline file".into(),
        (std::fs::read_to_string(&baseline).unwrap(), String::new()),
    );
    for f in ["markdown", "json", "html"] {
        put(
            format!("audit {f}"),
            run(repo, &["audit", "--format", f, "."]),
        );
    }
    put("fix --diff".into(), run(repo, &["fix", "--diff", "."]));
    put(
        "fix --diff --unsafe".into(),
        run(repo, &["fix", "--diff", "--unsafe", "."]),
    );
    if replace_endpoint {
        let arg = format!("{}=https://prisma.example.com/svc/stage", forms::URL);
        put(
            "fix --diff --replace-endpoint".into(),
            run(repo, &["fix", "--diff", "--replace-endpoint", &arg, "."]),
        );
    }
    let time = regex::Regex::new(r"\d+\.\d+s\b").unwrap();
    for v in all.values_mut() {
        *v = time
            .replace_all(&v.replace(b, "BASELINE"), "T")
            .into_owned();
    }
    all
}

/// The ways an output may spell a value: as is, without ANSI escapes, and
/// JSON-, URL- and HTML-unescaped.
fn views(s: &str) -> [String; 5] {
    let ansi = regex::Regex::new(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07\x1b]*(\x07|\x1b\\))").unwrap();
    let json = regex::Regex::new(r"\\u([0-9a-fA-F]{4})").unwrap();
    let json_text = json
        .replace_all(s, |c: &regex::Captures<'_>| {
            u32::from_str_radix(&c[1], 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        })
        .replace("\\\"", "\"")
        .replace("\\/", "/")
        .replace("\\n", "\n")
        .replace("\\\\", "\\");
    let url = regex::Regex::new(r"%([0-9a-fA-F]{2})").unwrap();
    let url_text = url
        .replace_all(s, |c: &regex::Captures<'_>| {
            u8::from_str_radix(&c[1], 16)
                .map(|b| char::from(b).to_string())
                .unwrap_or_default()
        })
        .into_owned();
    let html = s
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    [
        s.to_string(),
        ansi.replace_all(s, "").into_owned(),
        json_text,
        url_text,
        html,
    ]
}

/// Lines of any output that hold `needle` (in any view), for messages.
fn leaks(all: &Outputs, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, text) in all {
        for view in views(text) {
            for line in view.to_lowercase().lines() {
                if needles.iter().any(|n| line.contains(n)) {
                    found.push(format!("{name}: {line}"));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

fn repo_dir() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    (t, repo)
}

#[test]
fn the_decoders_find_what_an_output_may_escape() {
    let mut all = Outputs::new();
    all.insert("ansi".into(), "\x1b[31mcnr\x1b[0my".into());
    all.insert("json".into(), "\"\\u0063nry\"".into());
    all.insert("url".into(), "%63nry".into());
    all.insert("html".into(), "&#x27;yrn&amp;c".into());
    assert_eq!(
        leaks(&all, &["cnry"]).len(),
        3,
        "{:?}",
        leaks(&all, &["cnry"])
    );
}

#[test]
fn no_canary_reaches_any_output() {
    let (_t, repo) = repo_dir();
    let planted = plant(&repo, forms::FILES);
    assert!(planted.forms >= 120, "only {} forms", planted.forms);
    // A control: the same kind of word where it is no secret is printed,
    // and found.
    let control = "cnryctlq999yrnc";
    std::fs::write(
        repo.join("notes.txt"),
        format!("see {control} at {}\n", forms::URL),
    )
    .unwrap();
    let all = outputs(&repo, true);
    let found = leaks(&all, &["cnry", "yrnc"]);
    assert!(
        found.iter().any(|l| l.contains(control)),
        "the control was not found"
    );
    let found: Vec<&String> = found.iter().filter(|l| !l.contains(control)).collect();
    assert!(
        found.is_empty(),
        "canaries printed:\n{}",
        found
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Every canary's line is printed somewhere: absence means masking.
    let text: String = all.values().map(String::as_str).collect();
    let unseen: Vec<&String> = planted
        .markers
        .iter()
        .filter(|m| !text.contains(m.as_str()))
        .collect();
    assert!(unseen.is_empty(), "lines never shown: {unseen:?}");
    let v: serde_json::Value = serde_json::from_str(&all["check json stdout"]).unwrap();
    let n = v["findings"].as_array().map_or(0, Vec::len);
    assert!(n >= 150, "only {n} findings");
}

/// A deterministic stream of characters of `alphabet`.
struct Rand(u64);

impl Rand {
    fn pick(&mut self, alphabet: &[u8]) -> char {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        char::from(alphabet[(self.0 >> 33) as usize % alphabet.len()])
    }

    /// A value of the same length and character classes as `v`, from
    /// letters that spell no secret-looking word.
    fn like(&mut self, v: &str) -> String {
        v.chars()
            .map(|c| match c {
                'a'..='z' => self.pick(b"bcfghjlmqvwxz"),
                'A'..='Z' => self.pick(b"BCFGHJLMQVWXZ"),
                '0'..='9' => self.pick(b"0123456789"),
                c => c,
            })
            .collect()
    }
}

fn assert_same(a: &Outputs, b: &Outputs, what: &str) {
    for (name, text) in a {
        let other = &b[name];
        if text != other {
            let (l, r) = text
                .lines()
                .zip(other.lines())
                .find(|(l, r)| l != r)
                .unwrap_or(("(length)", "(length)"));
            panic!("{what}: {name} differs outside a mask:\n  {l}\n  {r}");
        }
    }
}

#[test]
fn fresh_secrets_change_no_byte_of_any_output() {
    let (_t1, a) = repo_dir();
    let planted = plant(&a, forms::FILES);
    let (_t2, b) = repo_dir();
    let mut rand = Rand(7);
    let fresh: Vec<(String, String)> = planted
        .canaries
        .iter()
        .map(|c| (c.clone(), rand.like(c)))
        .collect();
    let swapped: Vec<(String, String)> = forms::FILES
        .iter()
        .map(|(p, _)| {
            let mut text = std::fs::read_to_string(a.join(p)).unwrap();
            for (c, r) in &fresh {
                text = text.replace(c, r);
            }
            (p.to_string(), text)
        })
        .collect();
    for (p, text) in &swapped {
        let full = b.join(p);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    assert_same(&outputs(&a, true), &outputs(&b, true), "canary repository");
}

/// Every file under `dir`, relative.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// The test repositories: each fixture folder holding files of its own.
fn fixture_repos() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for group in std::fs::read_dir(&root).unwrap().flatten() {
        let g = group.path();
        let has_files = std::fs::read_dir(&g)
            .unwrap()
            .flatten()
            .any(|e| e.path().is_file());
        if has_files {
            out.push(g);
        } else {
            out.extend(std::fs::read_dir(&g).unwrap().flatten().map(|e| e.path()));
        }
    }
    out.sort();
    out
}

#[test]
fn fresh_secrets_in_the_fixtures_change_no_byte_of_any_output() {
    use prisma1_lint::{kind::FileKind, mask};
    // Words a rule takes for "no literal here": another value would change
    // the findings, not their masking.
    let words = [
        "true",
        "false",
        "null",
        "undefined",
        "string",
        "required",
        "optional",
    ];
    let mut swapped_repos = 0;
    for fixture in fixture_repos() {
        let list = files(&fixture);
        let mut rand = Rand(list.len() as u64);
        // Secret-shaped values change wherever they appear (the backstop
        // looks for them everywhere); the others only where they are.
        let mut everywhere: BTreeMap<String, String> = BTreeMap::new();
        let mut texts: Vec<(PathBuf, String, String)> = Vec::new();
        for rel in &list {
            let bytes = std::fs::read(fixture.join(rel)).unwrap();
            let Ok(text) = String::from_utf8(bytes.clone()) else {
                continue;
            };
            let name = rel.to_string_lossy();
            let kind = FileKind::from_path(&name).refine_with_content(&bytes);
            let mut other = String::new();
            let mut at = 0;
            for (s, e) in mask::spans(kind, &bytes) {
                let v = &text[s..e];
                other.push_str(&text[at..s]);
                if mask::secret_shaped(v.trim()) {
                    everywhere
                        .entry(v.trim().to_string())
                        .or_insert_with(|| rand.like(v.trim()));
                    other.push_str(v);
                } else if v.chars().count() < mask::shape::MIN_LEN && !words.contains(&v) {
                    other.push_str(&rand.like(v));
                } else {
                    other.push_str(v);
                }
                at = e;
            }
            other.push_str(&text[at..]);
            texts.push((rel.clone(), text, other));
        }
        let mut changed = false;
        let (_t1, a) = repo_dir();
        let (_t2, b) = repo_dir();
        for (rel, text, other) in &texts {
            let mut other = other.clone();
            for (v, r) in &everywhere {
                other = other.replace(v, r);
            }
            changed |= &other != text;
            for (dir, t) in [(&a, text), (&b, &other)] {
                let full = dir.join(rel);
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(full, t).unwrap();
            }
        }
        if !changed {
            continue;
        }
        swapped_repos += 1;
        assert_same(
            &outputs(&a, false),
            &outputs(&b, false),
            &fixture.display().to_string(),
        );
    }
    assert!(
        swapped_repos >= 5,
        "only {swapped_repos} fixtures hold secrets"
    );
}

/// The compose default of Prisma 1's docs, a script and a Cloud endpoint,
/// with a placeholder as every secret: `{P}` is the placeholder.
const PLACEHOLDER_REPO: &[(&str, &str)] = &[
    (
        "docker-compose.yml",
        "services:\n  prisma:\n    image: prismagraphql/prisma:1.34\n    environment:\n      PRISMA_CONFIG: |\n        port: 4466\n        managementApiSecret: {P}\n        databases:\n          default:\n            connector: mysql\n            host: mysql\n            user: root\n            password: {P}\n  mysql:\n    image: mysql:5.7\n    command: mysqld --default-authentication-plugin=mysql_native_password\n    environment:\n      MYSQL_ROOT_PASSWORD: {P}\n",
    ),
    (
        "package.json",
        "{\"scripts\":{\"deploy\":\"prisma deploy\",\"login\":\"PRISMA_MANAGEMENT_API_SECRET={P} prisma1 login --key {P}\"},\"devDependencies\":{\"prisma\":\"1.34.10\"}}\n",
    ),
    (
        "prisma/prisma.yml",
        "endpoint: https://eu1.prisma.sh/jane/app/dev\ndatamodel: datamodel.prisma\nsecret: {P}\n",
    ),
    (
        ".env",
        "PRISMA_MANAGEMENT_API_SECRET={P}\nPRISMA_SECRET={P}\nDB_PASSWORD={P}\n",
    ),
    (
        ".github/workflows/deploy.yml",
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      PRISMA_MANAGEMENT_API_SECRET: {P}\n    steps:\n      - run: npx prisma1 deploy\n      - run: curl https://us1.prisma.sh/app/dev\n",
    ),
];

/// How often each of the tool's words (rule ids, paths, hosts, its name)
/// occurs in each output.
fn tool_words(all: &Outputs, paths: &[&str]) -> BTreeMap<(String, String), usize> {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut words: Vec<String> = std::fs::read_dir(rules)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".yml")
                .map(String::from)
        })
        .collect();
    words.extend(paths.iter().map(|p| p.to_string()));
    words.extend(["eu1.prisma.sh", "us1.prisma.sh", "prisma1-lint"].map(String::from));
    let mut out = BTreeMap::new();
    for (name, text) in all {
        for w in &words {
            out.insert((name.clone(), w.clone()), text.matches(w.as_str()).count());
        }
    }
    out
}

#[test]
fn placeholder_secrets_change_no_rule_id_path_host_or_tool_name() {
    let paths: Vec<&str> = PLACEHOLDER_REPO.iter().map(|(p, _)| *p).collect();
    let write = |value: &str| {
        let (t, repo) = repo_dir();
        for (p, text) in PLACEHOLDER_REPO {
            let full = repo.join(p);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text.replace("{P}", value)).unwrap();
        }
        (t, repo)
    };
    for value in [
        "prisma", "secret", "deploy", "password", "root", "true", "1234",
    ] {
        // The same repository with a value no output could confuse with
        // its own words, that the rules judge alike (`hardcoded-secret`
        // takes `true` and `false` for words, not secrets).
        let other = match value {
            "true" => "false".to_string(),
            v => Rand(v.len() as u64).like(v),
        };
        let (_t, neutral) = write(&other);
        let baseline = tool_words(&outputs(&neutral, false), &paths);
        assert!(
            baseline
                .iter()
                .any(|((o, w), n)| o == "check json stdout" && w == "prisma1-cli" && *n > 0),
            "the repository has findings"
        );
        let (_t, repo) = write(value);
        let got = tool_words(&outputs(&repo, false), &paths);
        let differ: Vec<String> = got
            .iter()
            .filter(|(k, n)| baseline.get(k) != Some(n))
            .map(|((o, w), n)| {
                format!(
                    "{o}: {w} {n} times, {:?} without",
                    baseline.get(&(o.clone(), w.clone()))
                )
            })
            .collect();
        assert!(
            differ.is_empty(),
            "with secrets `{value}`:\n{}",
            differ.join("\n")
        );
    }
}

/// The two-file reproduction (plus the endpoint its report garbled): every
/// format names the rules, the host and the real paths.
#[test]
fn the_compose_default_garbles_nothing() {
    let (_t, repo) = repo_dir();
    let files = [
        (
            "docker-compose.yml",
            "services:\n  prisma:\n    image: prismagraphql/prisma:1.34\n  mysql:\n    image: mysql:5.7\n    command: mysqld --default-authentication-plugin=mysql_native_password\n    environment:\n      MYSQL_ROOT_PASSWORD: prisma\n",
        ),
        (
            "package.json",
            "{\"scripts\":{\"deploy\":\"prisma deploy\"},\"devDependencies\":{\"prisma\":\"1.34.10\"}}\n",
        ),
        ("prisma/prisma.yml", "endpoint: https://eu1.prisma.sh/jane/app/dev\n"),
    ];
    for (p, text) in files {
        let full = repo.join(p);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let all = outputs(&repo, false);
    for (name, text) in &all {
        if name.contains("stderr") || name.starts_with("fix") || name == "write-baseline stdout" {
            continue;
        }
        assert!(!text.contains("«redacted»"), "{name}:\n{text}");
        for word in ["prisma1-cli", "prisma1-dependency", "package.json"] {
            if name.starts_with("audit") && word == "prisma1-dependency" {
                continue;
            }
            assert!(text.contains(word), "{name} lacks {word}:\n{text}");
        }
        if !name.starts_with("audit") {
            for word in ["eu1.prisma.sh", "prisma/prisma.yml", "docker-compose.yml"] {
                assert!(text.contains(word), "{name} lacks {word}:\n{text}");
            }
        }
    }
    let sarif: serde_json::Value = serde_json::from_str(&all["check sarif stdout"]).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "prisma1-lint");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 4);
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(Some(&r["ruleId"].as_str().unwrap()), rules.get(i), "{r}");
    }
}

/// Masking comes before every escaping an output applies (JSON, HTML,
/// Markdown, the control-character and `##[` escapes of `display`): a
/// secret made of what outputs escape (a tab, ESC, quotes, a backslash,
/// `<`, `&`, `##[`) reaches no output in any form. Each piece of each value
/// is a distinct word, so an escaped spelling of the value still holds it.
#[test]
fn secrets_that_outputs_escape_reach_no_output_escaped() {
    let (_t, repo) = repo_dir();
    let url = forms::URL;
    let files = [
        (
            ".env".to_string(),
            format!(
                "PRISMA_MANAGEMENT_API_SECRET='escwa\tescwb\x1bescwc##[escwd<escwe>escwf&escwg\"escwh' # ctxwmk {url}\n"
            ),
        ),
        (
            "prisma/prisma.yml".to_string(),
            format!(
                "endpoint: {url}\nsecret: \"escqa\\\"escqb\\\\escqc##[escqd<escqe&escqf\\tescqg\" # ctxqmk {url}\n"
            ),
        ),
        (
            "package.json".to_string(),
            format!(
                "{{\"scripts\":{{\"login\":\"prisma1 login --key 'escka<esckb&esckc##[esckd\\\\esckf' && curl {url} # ctxkmk\"}},\"devDependencies\":{{\"prisma1\":\"1.34.10\"}}}}\n"
            ),
        ),
    ];
    for (p, text) in &files {
        let full = repo.join(p);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let all = outputs(&repo, false);
    let found = leaks(&all, &["escw", "escq", "esck"]);
    assert!(found.is_empty(), "secrets printed:\n{}", found.join("\n"));
    // The lines are shown, masked: absence is masking, not silence.
    let text: String = all.values().map(String::as_str).collect();
    for m in ["ctxwmk", "ctxqmk", "ctxkmk"] {
        assert!(text.contains(m), "the line of {m} is never shown");
    }
    assert!(text.contains("«redacted»"));
}
