//! Unit tests of the SARIF writer (a file of their own to keep sarif.rs
//! readable).
#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use crate::finding::{Related, Suppression};
use crate::rules::RuleSet;
use crate::scan::{Problem, Stats};
use serde_json::Value;
use std::time::Duration;

fn finding(rule: &str, path: &str, line: usize, matched: &str) -> Finding {
    let f = Finding::example(rule, Severity::Error, path, line);
    Finding {
        location: Location {
            column: 11,
            end_column: 40,
            end_byte: 0,
            ..f.location
        },
        message: format!("found {matched}").into(),
        snippet: format!("endpoint: {matched}").into(),
        matched: matched.into(),
        ..f
    }
}

fn render(rules: &RuleSet, findings: Vec<Finding>, problems: Vec<Problem>) -> Value {
    render_with(
        rules,
        findings,
        Vec::new(),
        problems,
        &SarifOptions::default(),
    )
    .0
}

fn render_with(
    rules: &RuleSet,
    findings: Vec<Finding>,
    outside_diff: Vec<Finding>,
    problems: Vec<Problem>,
    opts: &SarifOptions,
) -> (Value, Written) {
    let active = rules
        .rules
        .iter()
        .map(|r| (r.id.clone(), r.severity))
        .collect();
    let report = Report {
        link_base: None,
        findings,
        rules,
        active,
        problems,
        stats: Stats::default(),
        elapsed: Duration::ZERO,
        stale_baseline: 0,
        hidden: 0,
        below_confidence: (0, crate::finding::Confidence::DEFAULT_MIN),
        outside_diff,
        root: ".".into(),
        prefix: String::new(),
    };
    let mut buf = Vec::new();
    let written = write(&report, opts, &mut buf).unwrap();
    (serde_json::from_slice(&buf).unwrap(), written)
}

fn results(doc: &Value) -> &Vec<Value> {
    doc["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn one_run_with_every_active_rule_once_in_id_order() {
    let rules = RuleSet::builtin().unwrap();
    let doc = render(&rules, Vec::new(), Vec::new());
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(doc["$schema"], SCHEMA);
    assert_eq!(doc["runs"].as_array().unwrap().len(), 1);
    let run = &doc["runs"][0];
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted);
    assert_eq!(ids.len(), rules.rules.len());
    assert!(
        run.get("automationDetails").is_none(),
        "left to the uploader"
    );
    assert!(run.get("properties").is_none(), "nothing truncated");
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert!(run["originalUriBaseIds"][SRCROOT].is_object());
    assert_eq!(results(&doc).len(), 0);
}

#[test]
fn rule_index_points_at_the_rule_of_the_result() {
    let rules = RuleSet::builtin().unwrap();
    let doc = render(
        &rules,
        vec![
            finding("prisma1-dependency", "package.json", 3, "prisma"),
            finding(
                "cloud-endpoint",
                "prisma.yml",
                1,
                "https://eu1.prisma.sh/a/b",
            ),
        ],
        Vec::new(),
    );
    let descriptors = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results(&doc) {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(descriptors[i]["id"], r["ruleId"]);
    }
}

#[test]
fn security_severity_only_on_security_rules() {
    let rules = RuleSet::builtin().unwrap();
    let doc = render(&rules, Vec::new(), Vec::new());
    for d in doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let rule = rules.get(d["id"].as_str().unwrap()).unwrap();
        let score = &d["properties"]["security-severity"];
        let tags = d["properties"]["tags"].as_array().unwrap();
        if let Some(s) = rule.security_severity {
            assert_eq!(score, &Value::String(format!("{s:.1}")), "{}", rule.id);
            assert!(tags.contains(&Value::from("security")), "{}", rule.id);
        } else {
            assert!(score.is_null(), "{}", rule.id);
        }
    }
    let secret = &doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "hardcoded-secret")
        .unwrap()["properties"]["security-severity"];
    assert_eq!(secret, "8.0");
}

#[test]
fn rule_descriptor_carries_docs() {
    let rules = RuleSet::builtin().unwrap();
    let doc = render(&rules, Vec::new(), Vec::new());
    let d = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "cloud-endpoint")
        .unwrap()
        .clone();
    assert_eq!(d["name"], "CloudEndpoint");
    assert_eq!(d["shortDescription"]["text"], "Prisma 1 Cloud endpoint");
    assert_eq!(d["defaultConfiguration"]["level"], "error");
    let first = &rules.get("cloud-endpoint").unwrap().references[0];
    assert_eq!(
        d["helpUri"],
        format!(
            "{}/blob/v{}/rules/cloud-endpoint.yml",
            env!("CARGO_PKG_REPOSITORY"),
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(d["properties"]["precision"], "high");
    let md = d["help"]["markdown"].as_str().unwrap();
    assert!(md.contains(&format!("[{first}]({first})")), "{md}");
}

#[test]
fn fingerprint_survives_a_move_to_another_line() {
    let rules = RuleSet::builtin().unwrap();
    let url = "https://eu1.prisma.sh/jane/app/dev";
    let before = render(
        &rules,
        vec![finding("cloud-endpoint", "prisma.yml", 1, url)],
        Vec::new(),
    );
    let after = render(
        &rules,
        vec![finding("cloud-endpoint", "prisma.yml", 7, url)],
        Vec::new(),
    );
    let fp = |d: &Value| results(d)[0]["partialFingerprints"]["primaryLocationLineHash"].clone();
    assert_eq!(fp(&before), fp(&after));
    assert_eq!(
        results(&after)[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );
    let s = fp(&before).as_str().unwrap().to_string();
    let (hash, n) = s.split_once(':').unwrap();
    assert_eq!((hash.len(), n), (16, "1"));
}

#[test]
fn identical_findings_get_distinct_fingerprints_and_others_differ() {
    let rules = RuleSet::builtin().unwrap();
    let url = "https://eu1.prisma.sh/jane/app/dev";
    let doc = render(
        &rules,
        vec![
            finding("cloud-endpoint", "a.js", 1, url),
            finding("cloud-endpoint", "a.js", 2, url),
            finding("cloud-endpoint", "b.js", 1, url),
        ],
        Vec::new(),
    );
    let fps: Vec<&str> = results(&doc)
        .iter()
        .map(|r| {
            r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(fps[0].split(':').next(), fps[1].split(':').next());
    assert!(fps[0].ends_with(":1") && fps[1].ends_with(":2"));
    assert_ne!(fps[0].split(':').next(), fps[2].split(':').next());
}

#[test]
fn fnv1a_matches_the_reference_vectors() {
    assert_eq!(fnv1a64(&[""]), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a64(&["a"]), 0xaf63_dc4c_8601_ec8c);
    assert_ne!(fnv1a64(&["ab", "c"]), fnv1a64(&["a", "bc"]));
}

fn suppressed(mut f: Finding) -> Finding {
    f.suppressed = Some(Suppression {
        kind: "inSource".into(),
        justification: "archived demo".into(),
    });
    f
}

#[test]
fn suppressed_findings_are_left_out_by_default() {
    let rules = RuleSet::builtin().unwrap();
    let f = suppressed(finding(
        "cloud-endpoint",
        "prisma.yml",
        1,
        "https://eu1.prisma.sh/a",
    ));
    let doc = render(
        &rules,
        vec![f, finding("cloud-endpoint", "x.js", 1, "y")],
        Vec::new(),
    );
    let r = results(&doc);
    assert_eq!(r.len(), 1);
    assert_eq!(
        r[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "x.js"
    );
    assert!(r[0].get("suppressions").is_none());
}

#[test]
fn included_suppressed_findings_make_every_result_carry_suppressions() {
    let rules = RuleSet::builtin().unwrap();
    let f = suppressed(finding(
        "cloud-endpoint",
        "prisma.yml",
        1,
        "https://eu1.prisma.sh/a",
    ));
    let opts = SarifOptions {
        include_suppressed: true,
        ..Default::default()
    };
    let (doc, _) = render_with(
        &rules,
        vec![f, finding("cloud-endpoint", "x.js", 1, "y")],
        Vec::new(),
        Vec::new(),
        &opts,
    );
    let r = results(&doc);
    assert_eq!(r[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(r[0]["suppressions"][0]["justification"], "archived demo");
    assert_eq!(r[1]["suppressions"], Value::Array(Vec::new()));
}

#[test]
fn category_becomes_the_automation_id() {
    let rules = RuleSet::builtin().unwrap();
    for (given, id) in [("monorepo/api", "monorepo/api/"), ("web/", "web/")] {
        let opts = SarifOptions {
            category: Some(given.into()),
            ..Default::default()
        };
        let (doc, _) = render_with(&rules, Vec::new(), Vec::new(), Vec::new(), &opts);
        assert_eq!(doc["runs"][0]["automationDetails"]["id"], id);
    }
}

#[test]
fn results_are_capped_most_severe_first_and_the_cut_recorded() {
    let rules = RuleSet::builtin().unwrap();
    let mut all = Vec::new();
    for i in 1..=4 {
        let mut f = finding("cloud-endpoint", "a.js", i, &format!("n{i}"));
        f.severity = Severity::Note;
        all.push(f);
    }
    all.push(finding("cloud-endpoint", "b.js", 1, "e1"));
    let mut w = finding("cloud-endpoint", "c.js", 1, "w1");
    w.severity = Severity::Warning;
    all.push(w);
    let opts = SarifOptions {
        max_results: 3,
        ..Default::default()
    };
    let (doc, written) = render_with(&rules, all, Vec::new(), Vec::new(), &opts);
    assert_eq!(
        written,
        Written {
            results: 3,
            omitted: 3
        }
    );
    let r = results(&doc);
    let levels: Vec<&str> = r.iter().map(|r| r["level"].as_str().unwrap()).collect();
    // Kept: the error, the warning and the first note, in report order.
    assert_eq!(levels, ["note", "error", "warning"]);
    let run = &doc["runs"][0];
    assert_eq!(run["properties"]["truncated"], true);
    assert_eq!(run["properties"]["omittedResults"], 3);
    assert_eq!(run["properties"]["omittedByLevel"]["note"], 3);
    let n = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert!(
        n["message"]["text"]
            .as_str()
            .unwrap()
            .contains("capped at 3 results"),
        "{n}"
    );
}

#[test]
fn findings_outside_the_diff_are_results_too() {
    let rules = RuleSet::builtin().unwrap();
    let url = "https://eu1.prisma.sh/jane/app/dev";
    let (doc, _) = render_with(
        &rules,
        vec![finding("cloud-endpoint", "b.js", 1, url)],
        vec![finding("cloud-endpoint", "a.js", 1, url)],
        Vec::new(),
        &SarifOptions::default(),
    );
    let uris: Vec<&str> = results(&doc)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris, ["a.js", "b.js"]);
}

#[test]
fn columns_are_utf16_code_units() {
    let rules = RuleSet::builtin().unwrap();
    let text = "x = '😀' + 'https://eu1.prisma.sh/a/b'".as_bytes();
    let start = text.windows(5).position(|w| w == b"https").unwrap();
    let mut f = finding("cloud-endpoint", "a.js", 1, "u");
    f.location = Location::from_bytes("a.js", text, start, text.len() - 1);
    let mut opts = SarifOptions::default();
    opts.columns.add(
        "a.js",
        text,
        &[f.location.start_byte, f.location.end_byte].into(),
    );
    let (doc, _) = render_with(&rules, vec![f.clone()], Vec::new(), Vec::new(), &opts);
    let region = &results(&doc)[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(f.location.column, 12);
    assert_eq!(region["startColumn"], 13);
    assert_eq!(region["endColumn"], f.location.end_column + 1);
}

#[test]
fn precision_is_medium_for_rules_that_judge_an_absence() {
    let rules = RuleSet::builtin().unwrap();
    let doc = render(&rules, Vec::new(), Vec::new());
    let precision = |id: &str| {
        doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["properties"]["precision"]
            .clone()
    };
    assert_eq!(precision("missing-management-secret"), "medium");
    assert_eq!(precision("cloud-endpoint"), "high");
    assert_eq!(precision("unused-suppression"), "very-high");
}

#[test]
fn locations_are_relative_and_related_ones_numbered() {
    let rules = RuleSet::builtin().unwrap();
    let mut f = finding("prisma1-cli", "ci/deploy file.yml", 4, "prisma1 deploy");
    f.related.push(Related {
        location: Location {
            path: "prisma.yml".into(),
            line: 1,
            column: 11,
            end_line: 1,
            end_column: 20,
            start_byte: 0,
            end_byte: 0,
        },
        message: "deploys to this endpoint".into(),
        snippet: "endpoint: x".into(),
    });
    let doc = render(&rules, vec![f], Vec::new());
    let r = &results(&doc)[0];
    let pl = &r["locations"][0]["physicalLocation"];
    assert_eq!(pl["artifactLocation"]["uri"], "ci/deploy%20file.yml");
    assert_eq!(pl["artifactLocation"]["uriBaseId"], SRCROOT);
    assert_eq!(pl["region"]["startColumn"], 11);
    assert_eq!(pl["region"]["endColumn"], 40);
    assert_eq!(pl["region"]["snippet"]["text"], "endpoint: prisma1 deploy");
    let rel = &r["relatedLocations"][0];
    assert_eq!(rel["id"], 1);
    assert_eq!(rel["message"]["text"], "deploys to this endpoint");
    assert_eq!(
        rel["physicalLocation"]["artifactLocation"]["uri"],
        "prisma.yml"
    );
}

#[test]
fn secrets_never_reach_the_log() {
    let rules = RuleSet::builtin().unwrap();
    let mut f = finding("hardcoded-secret", ".env", 1, "x");
    f.message = "PRISMA_MANAGEMENT_API_SECRET=hunter2".into();
    f.snippet = "PRISMA_MANAGEMENT_API_SECRET=hunter2".into();
    // A problem's message is the tool's (a parser's error, a walk error).
    let problem = Problem {
        path: "bad.yml".into(),
        message: "malformed YAML: bad indentation".into(),
    };
    let doc = render(&rules, vec![f], vec![problem]);
    let text = doc.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    let n = &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "bad.yml"
    );
}

#[test]
fn empty_spans_become_valid_regions() {
    let rules = RuleSet::builtin().unwrap();
    let mut f = finding("unused-suppression", "a.js", 0, "s");
    f.location.column = 0;
    f.location.end_line = 0;
    f.location.end_column = 0;
    f.snippet = Default::default();
    let doc = render(&rules, vec![f], Vec::new());
    let region = &results(&doc)[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (
            &Value::from(1),
            &Value::from(1),
            &Value::from(1),
            &Value::from(1)
        )
    );
    assert!(region.get("snippet").is_none());
}

#[test]
fn names_are_upper_camel_case() {
    assert_eq!(upper_camel("cloud-endpoint"), "CloudEndpoint");
    assert_eq!(upper_camel("prisma1-cli"), "Prisma1Cli");
}

#[test]
fn every_rule_help_is_in_its_descriptor_unredacted() {
    let rules = RuleSet::builtin().unwrap();
    let doc = render(&rules, Vec::new(), Vec::new());
    for d in doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let rule = rules.get(d["id"].as_str().unwrap()).unwrap();
        let text = d["help"]["text"].as_str().unwrap();
        assert!(text.contains(&one_line(&rule.help)), "{}: {text}", rule.id);
        assert!(!text.contains(crate::finding::REDACTED), "{}", rule.id);
    }
}

#[test]
fn a_finding_confidence_becomes_the_result_precision() {
    let rules = RuleSet::builtin().unwrap();
    let mut medium = finding("missing-management-secret", "package.json", 1, "a");
    medium.confidence = Some(crate::finding::Confidence::Medium);
    let mut high = finding("missing-management-secret", "package.json", 2, "b");
    high.confidence = Some(crate::finding::Confidence::High);
    let plain = finding("cloud-endpoint", "prisma.yml", 1, "c");
    let doc = render(&rules, vec![medium, high, plain], Vec::new());
    let r = results(&doc);
    let precision = |uri: &str, line: u64| {
        r.iter()
            .find(|r| {
                let pl = &r["locations"][0]["physicalLocation"];
                pl["artifactLocation"]["uri"] == uri && pl["region"]["startLine"] == line
            })
            .unwrap()["properties"]["precision"]
            .clone()
    };
    assert_eq!(precision("package.json", 1), "medium");
    assert_eq!(precision("package.json", 2), "high");
    assert!(precision("prisma.yml", 1).is_null());
}
