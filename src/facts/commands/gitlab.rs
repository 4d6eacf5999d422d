//! GitLab CI: each job's `before_script`, `script` and `after_script`, with
//! pipeline and job `variables`, following `extends:` into hidden templates
//! and falling back to `default:` and top-level scripts like GitLab does.

use super::yaml_util::{docs, run_node, scope};
use super::{shell, Ctx, Out};
use crate::facts::commands::{EnvScope, ScopeKind};
use crate::facts::yaml::Node;

/// Top-level keys that configure the pipeline rather than name a job.
const NOT_JOBS: [&str; 11] = [
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "types",
];

/// GitLab itself stops at this many levels of `extends`.
const MAX_EXTENDS: usize = 11;

pub(crate) fn extract(out: &mut Out) {
    let root = super::dir_of(out.path);
    for doc in docs(out.file) {
        let global = scope(out, doc.get("variables"), ScopeKind::Global, "pipeline");
        let default = doc.get("default");
        for (key, job) in doc.entries() {
            let Some(name) = key.as_str() else { continue };
            if NOT_JOBS.contains(&name) || name.starts_with('.') || !matches!(job, Node::Map { .. })
            {
                continue;
            }
            let mut chain = Vec::new();
            templates(&doc, job, 0, &mut chain);
            let find = |k: &str| chain.iter().find_map(|j| j.get(k));
            let fallback = |k: &str| {
                find(k)
                    .or_else(|| default.and_then(|d| d.get(k)))
                    .or_else(|| doc.get(k))
            };
            let env: Vec<EnvScope> = job_scope(out, &chain, name)
                .into_iter()
                .chain(global.clone())
                .collect();
            let ctx = Ctx::new(format!("GitLab CI job \"{name}\""), &root).with_env(env);
            // before_script and script run in one shell; after_script in a fresh one.
            let mut st = shell::State::new(&root);
            run_node(out, fallback("before_script"), &ctx, &mut st);
            run_node(out, find("script"), &ctx, &mut st);
            run_node(
                out,
                fallback("after_script"),
                &ctx,
                &mut shell::State::new(&root),
            );
        }
    }
}

/// `job` followed by what it extends, highest priority first.
fn templates<'d>(doc: &'d Node, job: &'d Node, depth: usize, chain: &mut Vec<&'d Node>) {
    // Templates reached twice (diamonds, cycles) add nothing new.
    if depth > MAX_EXTENDS || chain.len() > 64 || chain.iter().any(|j| std::ptr::eq(*j, job)) {
        return;
    }
    chain.push(job);
    let bases = job.get("extends").map(Node::strings).unwrap_or_default();
    // With `extends: [.a, .b]`, `.b` wins over `.a`.
    for (base, _) in bases.iter().rev() {
        if let Some(template) = doc.get(base) {
            templates(doc, template, depth + 1, chain);
        }
    }
}

/// Job variables merged over the templates they extend.
fn job_scope(out: &Out, chain: &[&Node], name: &str) -> Option<EnvScope> {
    let label = format!("job \"{name}\"");
    let mut merged: Option<EnvScope> = None;
    for job in chain.iter().rev() {
        if let Some(s) = scope(out, job.get("variables"), ScopeKind::Job, &label) {
            match merged.as_mut() {
                Some(m) => m.vars.extend(s.vars),
                None => merged = Some(s),
            }
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::super::show_all;
    use crate::kind::FileKind;

    fn gl(text: &str) -> Vec<String> {
        show_all(".gitlab-ci.yml", FileKind::GitlabCi, text)
    }

    #[test]
    fn jobs_run_their_scripts() {
        let text = "stages: [deploy]\ndeploy:\n  stage: deploy\n  script:\n    - npm ci\n    - npx prisma1 deploy\n";
        assert_eq!(
            gl(text),
            ["5:7-5:13 [npm ci]", "6:7-6:25 [prisma1 deploy] w=npx"]
        );
    }

    #[test]
    fn variables_extends_and_before_scripts_combine() {
        let text = r#"variables:
  G: "1"
before_script:
  - export PRISMA_MANAGEMENT_API_SECRET=$SECRET
.base:
  variables:
    PRISMA_CLOUD_SESSION_KEY: $KEY
  script:
    - cd server
    - prisma deploy
deploy:
  extends: .base
  variables:
    X: y
"#;
        assert_eq!(
            gl(text),
            [
                "4:5-4:48 [export PRISMA_MANAGEMENT_API_SECRET=$SECRET] Job(job \"deploy\"):PRISMA_CLOUD_SESSION_KEY=?,X=y Global(pipeline):G=1",
                "9:7-9:16 [cd server] Export(script):PRISMA_MANAGEMENT_API_SECRET=? Job(job \"deploy\"):PRISMA_CLOUD_SESSION_KEY=?,X=y Global(pipeline):G=1",
                "10:7-10:20 cwd=server [prisma deploy] Export(script):PRISMA_MANAGEMENT_API_SECRET=? Job(job \"deploy\"):PRISMA_CLOUD_SESSION_KEY=?,X=y Global(pipeline):G=1",
            ]
        );
    }

    #[test]
    fn default_before_script_and_extends_cycles() {
        let text = "default:\n  before_script: npm ci\n.a:\n  extends: .b\n.b:\n  extends: .a\n  script: prisma1 deploy\njob:\n  extends: [.a]\n";
        assert_eq!(
            gl(text),
            ["2:18-2:24 [npm ci]", "7:11-7:25 [prisma1 deploy]"]
        );
    }
}
