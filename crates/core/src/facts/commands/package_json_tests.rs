//! Tests of the commands read from package.json scripts, through the whole
//! extraction ([`show_all`](super::super::show_all)): a file of their own, so
//! that the extractor does not depend on the dispatcher that calls it.

use super::super::show_all;
use super::glob;
use crate::kind::FileKind;

fn pj(text: &str) -> Vec<String> {
    show_all("api/package.json", FileKind::PackageJson, text)
}

#[test]
fn scripts_are_sites_at_their_exact_position() {
    let text = "{\n  \"scripts\": {\n    \"deploy\": \"cd prisma && prisma deploy -e ../.env\",\n    \"x\": \"echo \\\"a\\\" && prisma1 token\"\n  }\n}";
    assert_eq!(
        pj(text),
        [
            "3:16-3:25 cwd=api [cd prisma]",
            "3:29-3:53 cwd=api/prisma [prisma deploy -e ../.env]",
            "4:11-4:21 cwd=api [echo a]",
            "4:25-4:38 cwd=api [prisma1 token]",
        ]
    );
}

#[test]
fn caller_env_flows_into_called_scripts_and_hooks() {
    let text = r#"{"scripts": {
  "predeploy": "prisma1 generate",
  "deploy": "prisma1 deploy",
  "deploy:prod": "PRISMA_MANAGEMENT_API_SECRET=s npm run deploy",
  "deploy:env": "dotenv -e .env.prod -- yarn deploy",
  "plain": "npm run deploy"
}}"#;
    let view = super::super::show_sourced("package.json", FileKind::PackageJson, text);
    assert_eq!(
        view,
        [
            r#"package.json script "predeploy" | 2:17-2:33 [prisma1 generate]"#,
            r#"package.json script "predeploy" (via "deploy:prod") | 2:17-2:33 [prisma1 generate] Inline(inline):PRISMA_MANAGEMENT_API_SECRET=s"#,
            r#"package.json script "predeploy" (via "deploy:env") | 2:17-2:33 [prisma1 generate] f=.env.prod"#,
            r#"package.json script "deploy" | 3:14-3:28 [prisma1 deploy]"#,
            r#"package.json script "deploy" (via "deploy:prod") | 3:14-3:28 [prisma1 deploy] Inline(inline):PRISMA_MANAGEMENT_API_SECRET=s"#,
            r#"package.json script "deploy" (via "deploy:env") | 3:14-3:28 [prisma1 deploy] f=.env.prod"#,
            r#"package.json script "deploy:prod" | 4:19-4:64 @4:50-4:64 [deploy] w=npm run Inline(inline):PRISMA_MANAGEMENT_API_SECRET=s"#,
            r#"package.json script "deploy:env" | 5:18-5:52 [deploy] w=dotenv,yarn f=.env.prod"#,
            r#"package.json script "plain" | 6:13-6:27 [deploy] w=npm run"#,
        ]
    );
}

#[test]
fn chains_run_through_npm_run_all_and_stop_at_cycles() {
    let text = r#"{"scripts": {
  "all": "A=1 run-s build:*",
  "build:a": "npm run build:b",
  "build:b": "prisma1 deploy && npm run build:a"
}}"#;
    let sites = super::super::extract("package.json", FileKind::PackageJson, text);
    let sources: Vec<&str> = sites
        .iter()
        .filter(|s| s.argv[0] == "prisma1")
        .map(|s| s.source.as_str())
        .collect();
    assert_eq!(
        sources,
        [
            r#"package.json script "build:b""#,
            r#"package.json script "build:b" (via "all" -> "build:a")"#,
            r#"package.json script "build:b" (via "all")"#,
        ]
    );
}

#[test]
fn globs_follow_npm_run_all() {
    assert!(glob("build:*", "build:api"));
    assert!(!glob("build:*", "build:api:x"));
    assert!(glob("build:**", "build:api:x"));
    assert!(!glob("build", "build:x"));
}

#[test]
fn malformed_json_gives_nothing() {
    assert!(pj("{\"scripts\": {\"a\": ").is_empty());
    assert!(pj("[1, 2]").is_empty());
    assert!(pj("{\"scripts\": {\"a\": 1, \"b\": [\"x\"]}}").is_empty());
}
