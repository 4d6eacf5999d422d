//! Tests of the commands read from the HCL form of GitHub workflows, through
//! the whole extraction ([`show_all`](super::super::show_all)): a file of
//! their own, so that the extractor does not depend on the dispatcher that
//! calls it.

use super::super::show_all;
use crate::kind::FileKind;

#[test]
fn actions_run_with_their_env_and_secrets() {
    let text = "workflow \"ci\" {\n  on = \"push\"\n  resolves = [\"deploy\"]\n}\n\naction \"install\" {\n  uses = \"actions/npm@59b64a5\"\n  args = \"install\"\n}\n\naction \"deploy\" {\n  uses = \"actions/npm@59b64a5\"\n  needs = [\"install\"]\n  runs = \"yarn\"\n  args = \"workspace backend deploy:prisma\"\n  secrets = [\n    \"PRISMA_MANAGEMENT_API_SECRET\",\n  ]\n  env = {\n    PRISMA_ENDPOINT = \"https://api.example.com/app/prod\"\n  }\n}\n";
    let sites = show_all(".github/main.workflow", FileKind::GithubActions, text);
    assert_eq!(sites.len(), 2, "{sites:?}");
    assert!(sites[0].contains("[npm install]"), "{sites:?}");
    assert!(
        sites[1].contains("ws=backend")
            && sites[1].contains("PRISMA_ENDPOINT=https://api.example.com/app/prod")
            && sites[1].contains("PRISMA_MANAGEMENT_API_SECRET=?"),
        "{sites:?}"
    );
}

#[test]
fn broken_files_give_what_they_can() {
    for text in [
        "action \"a\" {",
        "action \"a\" { runs = \"x",
        "}}}{{{",
        "action { runs = [\"a\" }",
    ] {
        let _ = show_all(".github/main.workflow", FileKind::GithubActions, text);
    }
}
