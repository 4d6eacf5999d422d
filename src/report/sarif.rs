//! SARIF 2.1.0 output, shaped for GitHub code scanning: one run, every active
//! rule described once, results pointing at `%SRCROOT%`-relative paths, and
//! content-based fingerprints so an alert survives edits elsewhere in a file.
//!
//! Like the JSON output this is a contract, so it has its own serde types
//! rather than serialising internal ones. Nothing here depends on the clock
//! or the machine: the same scan always gives the same bytes.

use super::Report;
use crate::finding::{Finding, Location, Severity};
use crate::redact::scrub;
use crate::rules::Rule;
use serde::Serialize;
use std::collections::BTreeMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    column_kind: &'static str,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<String>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: &'static str,
}

#[derive(Serialize)]
struct BaseId {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

/// A file that could not be read or parsed: not a finding, but the user
/// should know the scan did not see it.
#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: [NotificationLocation; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: FileOnly,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOnly {
    artifact_location: ArtifactLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [ResultLocation; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints {
    primary_location_line_hash: String,
}

#[derive(Serialize)]
struct SarifSuppression {
    kind: String,
    justification: String,
}

pub fn write(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report)).map_err(std::io::Error::other)?;
    writeln!(out)
}

fn log<'a>(report: &'a Report<'a>) -> Log<'a> {
    let order = rule_order(report);
    let index: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let rules = order
        .iter()
        .map(|(id, severity)| describe(id, report.rules.get(id), *severity))
        .collect();
    let fingerprints = fingerprints(&report.findings);
    let results = report
        .findings
        .iter()
        .zip(fingerprints)
        .map(|(f, fp)| result(f, index.get(f.rule.as_str()).copied().unwrap_or(0), fp))
        .collect();
    let notifications = report
        .problems
        .iter()
        .map(|p| Notification {
            level: "warning",
            message: Text {
                text: scrub(&p.message),
            },
            locations: [NotificationLocation {
                physical_location: FileOnly {
                    artifact_location: artifact(&p.path),
                },
            }],
        })
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "prisma1-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            // GitHub keys alerts by tool and category; a fixed category keeps
            // alerts from one upload matched with the next.
            automation_details: AutomationDetails {
                id: "prisma1-lint/",
            },
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseId {
                    description: Text {
                        text: "The root of the scanned repository".into(),
                    },
                },
            )]),
            column_kind: "unicodeCodePoints",
            invocations: [Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            results,
        }],
    }
}

/// Active rules in id order, plus (defensively) any rule a finding names
/// that is missing from the active set, so every `ruleIndex` resolves.
fn rule_order<'a>(report: &'a Report<'a>) -> Vec<(&'a str, Severity)> {
    let mut order: BTreeMap<&str, Severity> = report
        .active
        .iter()
        .map(|(id, s)| (id.as_str(), *s))
        .collect();
    for f in &report.findings {
        order.entry(f.rule.as_str()).or_insert(f.severity);
    }
    order.into_iter().collect()
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `cloud-endpoint` -> `CloudEndpoint`: SARIF wants a name distinct from the
/// id, and code scanning shows it in the alert list.
fn upper_camel(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn describe<'a>(id: &'a str, rule: Option<&'a Rule>, severity: Severity) -> RuleDescriptor<'a> {
    let Some(rule) = rule else {
        return RuleDescriptor {
            id,
            name: upper_camel(id),
            short_description: Text { text: id.into() },
            full_description: Text { text: id.into() },
            help: Help {
                text: id.into(),
                markdown: id.into(),
            },
            help_uri: None,
            default_configuration: Configuration {
                level: level(severity),
            },
            properties: RuleProperties {
                tags: Vec::new(),
                security_severity: None,
            },
        };
    };
    let why = one_line(&rule.why);
    let help = one_line(&rule.help);
    let mut text = [why.as_str(), help.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut markdown = text.clone();
    if !rule.references.is_empty() {
        text.push_str("\n\nReferences:");
        markdown.push_str("\n\n**References**\n");
        for r in &rule.references {
            text.push_str(&format!("\n- {r}"));
            markdown.push_str(&format!("\n- [{r}]({r})"));
        }
    }
    let mut tags = rule.tags.clone();
    // Code scanning files alerts under "security" only when the tag is there;
    // a rule with a score but no tag would otherwise be shown as quality.
    if rule.security_severity.is_some() && !tags.iter().any(|t| t == "security") {
        tags.push("security".into());
    }
    RuleDescriptor {
        id,
        name: upper_camel(id),
        short_description: Text {
            text: one_line(&rule.title),
        },
        full_description: Text {
            text: one_line(&rule.summary),
        },
        help: Help { text, markdown },
        help_uri: rule.references.first().map(String::as_str),
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: RuleProperties {
            tags,
            security_severity: rule.security_severity.map(|s| format!("{s:.1}")),
        },
    }
}

fn artifact(path: &str) -> ArtifactLocation {
    ArtifactLocation {
        uri: uri_path(path),
        uri_base_id: SRCROOT,
    }
}

/// Percent-encodes what may not appear raw in a relative URI reference,
/// keeping `/` so the path stays a path.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn physical(loc: &Location, snippet: &str) -> PhysicalLocation {
    // Some findings (a suppression comment problem) have no span; SARIF needs
    // positive numbers and an end that does not precede the start.
    let start_line = loc.line.max(1);
    let start_column = loc.column.max(1);
    let end_line = loc.end_line.max(start_line);
    let end_column = if end_line == start_line {
        loc.end_column.max(start_column)
    } else {
        loc.end_column.max(1)
    };
    let snippet = scrub(snippet);
    PhysicalLocation {
        artifact_location: artifact(&loc.path),
        region: Region {
            start_line,
            start_column,
            end_line,
            end_column,
            snippet: (!snippet.is_empty()).then_some(Text { text: snippet }),
        },
    }
}

fn result(f: &Finding, rule_index: usize, fingerprint: String) -> SarifResult<'_> {
    SarifResult {
        rule_id: &f.rule,
        rule_index,
        level: level(f.severity),
        message: Text {
            text: scrub(&f.message),
        },
        locations: [ResultLocation {
            physical_location: physical(&f.location, &f.snippet),
        }],
        related_locations: f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| RelatedLocation {
                id: i + 1,
                physical_location: physical(&r.location, &r.snippet),
                message: Text {
                    text: scrub(&r.message),
                },
            })
            .collect(),
        partial_fingerprints: Fingerprints {
            primary_location_line_hash: fingerprint,
        },
        suppressions: f
            .suppressed
            .iter()
            .map(|s| SarifSuppression {
                kind: s.kind.clone(),
                justification: scrub(&s.justification),
            })
            .collect(),
    }
}

/// FNV-1a, 64 bits: tiny, dependency-free and fixed forever, which is what a
/// fingerprint needs (std's hasher may change between Rust releases).
fn fnv1a64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        // A separator byte that cannot occur in text keeps ("ab","c") and
        // ("a","bc") apart.
        let sep: &[u8] = if i == 0 { b"" } else { b"\0" };
        for b in sep.iter().chain(part.as_bytes()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// One fingerprint per finding, from its content key (rule, path, matched
/// text) rather than its line, so adding lines above it keeps the alert.
/// Identical keys in one file are told apart by occurrence, counted from 1
/// as GitHub's own `primaryLocationLineHash` does. Suppressed findings count
/// too, so suppressing one does not renumber its twins.
fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let mut seen: BTreeMap<(&str, &str, String), usize> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            let matched = one_line(&f.matched);
            let hash = fnv1a64(&[&f.rule, &f.location.path, &matched]);
            let n = seen
                .entry((&f.rule, &f.location.path, matched))
                .or_insert(0);
            *n += 1;
            format!("{hash:016x}:{n}")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::finding::{Related, Suppression};
    use crate::rules::RuleSet;
    use crate::scan::{Problem, Stats};
    use serde_json::Value;
    use std::time::Duration;

    fn finding(rule: &str, path: &str, line: usize, matched: &str) -> Finding {
        Finding {
            location: Location {
                path: path.into(),
                line,
                column: 11,
                end_line: line,
                end_column: 40,
                start_byte: 0,
                end_byte: 0,
            },
            rule: rule.into(),
            severity: Severity::Error,
            message: format!("found {matched}"),
            snippet: format!("endpoint: {matched}"),
            matched: matched.into(),
            related: Vec::new(),
            suppressed: None,
            mention: false,
            label: String::new(),
            snippet_span: None,
            confidence: None,
            origin: crate::finding::Origin::Code,
        }
    }

    fn render(rules: &RuleSet, findings: Vec<Finding>, problems: Vec<Problem>) -> Value {
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
        };
        let mut buf = Vec::new();
        write(&report, &mut buf).unwrap();
        serde_json::from_slice(&buf).unwrap()
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
        assert_eq!(run["automationDetails"]["id"], "prisma1-lint/");
        assert_eq!(run["columnKind"], "unicodeCodePoints");
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
        assert_eq!(d["helpUri"], first.as_str());
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
        let fp =
            |d: &Value| results(d)[0]["partialFingerprints"]["primaryLocationLineHash"].clone();
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

    #[test]
    fn suppressed_findings_are_reported_with_suppressions() {
        let rules = RuleSet::builtin().unwrap();
        let mut f = finding("cloud-endpoint", "prisma.yml", 1, "https://eu1.prisma.sh/a");
        f.suppressed = Some(Suppression {
            kind: "inSource".into(),
            justification: "archived demo".into(),
        });
        let doc = render(
            &rules,
            vec![f, finding("cloud-endpoint", "x.js", 1, "y")],
            Vec::new(),
        );
        let r = results(&doc);
        assert_eq!(r[0]["suppressions"][0]["kind"], "inSource");
        assert_eq!(r[0]["suppressions"][0]["justification"], "archived demo");
        assert!(r[1].get("suppressions").is_none());
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
        let problem = Problem {
            path: "bad.yml".into(),
            message: "secret: hunter2".into(),
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
        f.snippet.clear();
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
}
