//! Runs every rule's `examples:` through the whole pipeline (walk, facts,
//! matchers, suppressions), one temporary repository per example, and grades
//! each as the rule files promise: matched, missing or noisy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::format::RawExample;
use super::*;
use crate::app;
use crate::config::Config;
use crate::scan::ScanOptions;

fn run_example(set: &RuleSet, rule: &Rule, ex: &RawExample) -> Vec<crate::finding::Finding> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (file, text) in
        std::iter::once((&ex.file, &ex.text)).chain(ex.with.iter().map(|w| (&w.file, &w.text)))
    {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
    // Every rule runs, as in a real scan; only this rule's findings are graded.
    let active: Vec<(usize, crate::finding::Severity)> = set
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r.severity))
        .collect();
    let opts = ScanOptions {
        root: dir.path().to_path_buf(),
        only: Vec::new(),
        no_ignore: false,
        max_file_size: app::settings::DEFAULT_MAX_FILE_SIZE,
        threads: 1,
        exclude: None,
        skip: Vec::new(),
    };
    let (_, findings) =
        app::analyse::analyse(set, &active, &Config::default(), &opts).expect("analyse");
    findings
        .into_iter()
        .filter(|f| f.rule == rule.id && f.suppressed.is_none())
        .collect()
}

#[test]
fn every_rule_example_is_graded() {
    let set = RuleSet::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    for rule in &set.rules {
        for (i, ex) in rule.examples.matching.iter().enumerate() {
            let found = run_example(&set, rule, ex);
            let ok_count = match ex.count {
                Some(n) => found.len() == n,
                None => !found.is_empty(),
            };
            if !ok_count {
                failures.push(format!(
                    "{} match[{i}] ({}): missing, expected {:?} findings, got {}: {:?}",
                    rule.id,
                    ex.file,
                    ex.count.unwrap_or(1),
                    found.len(),
                    found.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
                continue;
            }
            if let Some(want) = &ex.message {
                // The headline and its notes say it together.
                let notes: Vec<String> = found[0].notes.iter().map(|n| n.masked()).collect();
                let said = format!("{} {}", found[0].message.masked(), notes.join("; "));
                if !said.contains(want.as_str()) {
                    failures.push(format!(
                        "{} match[{i}] ({}): message and notes {said:?} lack {want:?}",
                        rule.id, ex.file
                    ));
                }
            }
        }
        for (i, ex) in rule.examples.not_matching.iter().enumerate() {
            let found = run_example(&set, rule, ex);
            if !found.is_empty() {
                failures.push(format!(
                    "{} no-match[{i}] ({}): noisy: {:?}",
                    rule.id,
                    ex.file,
                    found
                        .iter()
                        .map(|f| format!("{}:{} {}", f.location.path, f.location.line, f.message))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rule_ids_are_unique_and_match_file_names() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, _) in BUILTIN_RULES {
        let set = RuleSet::builtin().expect("load");
        let stem = name.trim_end_matches(".yml");
        assert!(
            set.get(stem).is_some(),
            "{name} does not define rule `{stem}`"
        );
        assert!(seen.insert(stem), "duplicate {stem}");
    }
    assert!(seen.len() >= 14);
}

#[test]
fn regexes_avoid_unicode_word_boundaries() {
    // A Unicode `\b` drops the regex crate off its fast engines on non-ASCII text.
    for (name, text) in BUILTIN_RULES {
        for line in text.lines().filter(|l| l.contains("pattern:")) {
            let bare = line.replace("(?-u:\\b)", "");
            assert!(
                !bare.contains("\\b"),
                "{name}: use (?-u:\\b) instead of \\b: {line}"
            );
        }
    }
}

#[test]
fn malformed_rule_files_point_at_the_bad_line() {
    let text = "id: broken\ntitle: t\nseverity: fatal\n";
    let err = compile("broken.yml", text).expect_err("error");
    assert_eq!(
        &text[err.span.offset()..err.span.offset() + err.span.len()],
        "severity: fatal"
    );

    let text = "id: bad-regex\ntitle: t\nseverity: error\nsummary: s\nwhy: w\nhelp: h\nreferences: []\nkeywords: [x]\nmessage: m\nmatch:\n  - regex:\n      pattern: 'a(b'\nexamples: {match: [], no-match: []}\n";
    let err = compile("bad-regex.yml", text).expect_err("error");
    assert!(err.message.contains("invalid regex"), "{}", err.message);
    assert_eq!(
        &text[err.span.offset()..err.span.offset() + err.span.len()],
        "a(b"
    );

    let text = "id: bad-placeholder\ntitle: t\nseverity: error\nsummary: s\nwhy: w\nhelp: h\nreferences: []\nkeywords: [x]\nmessage: 'x {nope}'\nmatch:\n  - regex:\n      pattern: 'x'\nexamples: {match: [], no-match: []}\n";
    let err = compile("bad-placeholder.yml", text).expect_err("error");
    assert!(
        err.message.contains("placeholder `nope`"),
        "{}",
        err.message
    );
}

#[test]
fn a_rule_without_examples_is_rejected() {
    let text = "id: no-examples\ntitle: t\nseverity: error\nsummary: s\nwhy: w\nhelp: h\nreferences: []\nkeywords: [x]\nmessage: m\nmatch:\n  - regex:\n      pattern: 'x'\nexamples: {match: [], no-match: []}\n";
    let err = compile("no-examples.yml", text).expect_err("error");
    assert!(err.message.contains("example"), "{}", err.message);
}

#[test]
fn readme_rule_table_matches_the_rules() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table = readme
        .split("<!-- rules:start -->")
        .nth(1)
        .and_then(|t| t.split("<!-- rules:end -->").next())
        .expect("rule table markers");
    let rows: Vec<String> = table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(str::to_string)
        .collect();
    let set = RuleSet::builtin().expect("load");
    let want: Vec<String> = set
        .rules
        .iter()
        .map(|r| format!("| `{}` | {} | {} |", r.id, r.severity, r.title))
        .collect();
    assert_eq!(
        rows, want,
        "README.md's rule table is out of date; regenerate it from `prisma1-lint rules`"
    );
}

#[test]
fn superseded_rules_exist_and_differ_from_the_rule() {
    let set = RuleSet::builtin().expect("load");
    for rule in &set.rules {
        for s in &rule.supersedes {
            assert!(
                set.get(s).is_some(),
                "{} supersedes unknown rule {s}",
                rule.id
            );
            assert_ne!(s, &rule.id, "{} supersedes itself", rule.id);
        }
    }
}

#[test]
fn labels_default_to_the_title_taken_literally() {
    let text = "id: braces\ntitle: 'Uses {x} literally'\nseverity: note\nsummary: s\nwhy: w\nhelp: h\nreferences: []\nkeywords: [x]\nmessage: m\nmatch:\n  - regex:\n      pattern: 'x(?P<word>y)'\n      label: 'found {word}'\nexamples: {match: [{file: a.txt, text: xy}], no-match: [{file: a.txt, text: z}]}\n";
    let rule = compile("braces.yml", text).expect("compiles");
    assert_eq!(rule.label.render(|_| None), "Uses {x} literally");
    let Some(Matcher::Regex(rm)) = rule.matchers.first() else {
        panic!("a regex matcher");
    };
    let own = rm
        .label
        .as_ref()
        .map(|l| l.render(|n| (n == "word").then_some("y")));
    assert_eq!(own.as_deref(), Some("found y"));
}

/// The budget the built-in rules spend, from the rule set that loads them.
#[test]
fn the_built_in_rules_leave_most_of_the_total() {
    use super::budget::TOTAL_LIMIT;
    let mut set = crate::rules::RuleSet::builtin().unwrap();
    let used = set.budget().used();
    assert!(used > 0 && used < TOTAL_LIMIT / 6, "{used}");
}

/// Pricing the built-in patterns only when other rules join them charges
/// what compiling each file into one budget charges.
#[test]
fn built_in_patterns_priced_late_cost_what_they_cost_at_load() {
    let mut at_load = super::budget::Budget::default();
    for (name, text) in super::BUILTIN_RULES {
        super::compile_in(name, text, &mut at_load).unwrap();
    }
    let mut set = crate::rules::RuleSet::builtin().unwrap();
    assert_eq!(set.budget().used(), at_load.used());
    // Loading a folder prices them first: a rule folder's patterns are
    // charged on top of the built-in ones.
    let dir = tempfile::tempdir().unwrap();
    set.load_dir(dir.path(), false).unwrap();
    assert_eq!(set.budget().used(), at_load.used());
}
