//! Tests of the commands read from GitLab CI files, through the whole
//! extraction ([`show_all`](super::super::show_all)): a file of their own, so
//! that the extractor does not depend on the dispatcher that calls it.

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
