//! How `missing-management-secret` judges, one on-disk repository per case
//! under `tests/fixtures/judge/`: each mechanism has a repository where the
//! rule must speak (and where) and one where it must stay silent.

use std::path::Path;
use std::process::Command;

const RULE: &str = "missing-management-secret";

/// The JSON report of `check --format json --no-config ARGS` on a fixture
/// under `tests/fixtures/judge/`.
fn check_json(fixture: &str, args: &[&str]) -> serde_json::Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/judge")
        .join(fixture);
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--format", "json", "--no-config"])
        .args(args)
        .arg(&dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run prisma1-lint");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `path:line confidence` of every finding of the rule, sorted, at every confidence.
fn judged(fixture: &str) -> Vec<String> {
    let v = check_json(fixture, &["--select", RULE, "--min-confidence", "low"]);
    let mut found: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == RULE)
        .map(|f| {
            format!(
                "{}:{} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["confidence"].as_str().unwrap_or("-")
            )
        })
        .collect();
    found.sort();
    found
}

/// `seed` asks for a management token first: the Cloud is asked for one
/// for a protected server the CLI counts as private, never for a local one.
#[test]
fn seed_needs_the_secret_only_where_the_token_request_goes_to_the_cloud() {
    assert_eq!(judged("seed-private"), ["package.json:3 high"]);
    assert!(judged("seed-local").is_empty());
}

/// `path:line message` of the related locations of the rule's finding at `at`.
fn related(fixture: &str, at: &str) -> Vec<String> {
    let v = check_json(fixture, &["--select", RULE, "--persona", "auditor"]);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["line"]) == at)
        .unwrap_or_else(|| panic!("no finding at {at}"));
    f["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}:{} {}",
                r["path"].as_str().unwrap(),
                r["line"],
                r["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// The finding is on the line of the command words, the callers that run it
/// without the secret related, outermost first; a caller that exports the
/// secret silences it.
#[test]
fn a_finding_sits_on_the_command_with_its_callers_related() {
    assert_eq!(judged("placement-chain"), ["api/package.json:3 medium"]);
    assert_eq!(
        related("placement-chain", "api/package.json:3"),
        [
            "package.json:4 run by package.json script \"release:prisma\"",
            "api/Makefile:2 run by Makefile target \"deploy\"",
            "api/prisma.yml:1 endpoint defined here (remote)",
        ]
    );
    assert!(judged("placement-chain-secret").is_empty());
}

/// A command kept in a Makefile variable is reported where the variable is
/// defined, with the recipe line that expands it related.
#[test]
fn a_command_in_a_makefile_variable_is_reported_at_its_definition() {
    assert_eq!(judged("placement-makevar"), ["Makefile:1 medium"]);
    assert_eq!(
        related("placement-makevar", "Makefile:1")[0],
        "Makefile:4 expanded in Makefile target \"release\""
    );
    assert!(judged("placement-makevar-secret").is_empty());
}

/// A script that sources a library runs only the functions it calls; the
/// library is found from where the caller runs (the CI job's root).
#[test]
fn sourced_functions_run_only_where_called() {
    assert_eq!(judged("functions-sourced"), ["docker/lib.sh:7 high"]);
    let callers: Vec<String> = related("functions-sourced", "docker/lib.sh:7")
        .into_iter()
        .filter(|r| r.contains(" run by "))
        .collect();
    assert_eq!(
        callers,
        [
            ".github/workflows/release.yml:9 run by GitHub Actions job \"release\" step \"#2\"",
            "scripts/release.sh:6 run by shell script scripts/release.sh",
        ]
    );
    assert!(judged("functions-uncalled").is_empty());
}

/// `cd "$(dirname "$0")/.."` and `DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" &&
/// pwd); cd "$DIR/.."` move to the script's own folder wherever it is
/// started, so `-e ../config/.env.dev` is the file that exists.
#[test]
fn a_script_that_moves_to_its_own_folder_reads_its_env_file_there() {
    assert_eq!(judged("script-dir"), ["backend/scripts/deploy.sh:4 high"]);
    assert!(judged("script-dir-secret").is_empty());
}

/// An endpoint the command's environment cannot resolve (`${env:X}`, the env
/// file absent, its template a placeholder) is judged against what the
/// repository records of it: every record a Cloud server, silent (that is
/// `cloud-endpoint`'s finding); a self-hosted remote server, reported there.
#[test]
fn an_unresolved_endpoint_is_judged_against_what_the_repository_records() {
    assert!(judged("recorded-cloud").is_empty());
    assert_eq!(judged("recorded-remote"), ["package.json:3 medium"]);
    let endpoint = related("recorded-remote", "package.json:3");
    assert_eq!(endpoint, ["now.json:4 endpoint defined here (remote)"]);
}

/// With nothing recorded, the server configs that can be the target decide:
/// none sets `managementApiSecret`, no secret is needed.
#[test]
fn an_unresolved_endpoint_whose_servers_all_run_unprotected_needs_no_secret() {
    assert!(judged("unprotected-configs").is_empty());
    assert_eq!(judged("protected-configs"), ["package.json:3 low"]);
}

/// Where the repository settles the question indirectly, the rule is quiet:
/// a compose server that takes `managementApiSecret` from the same env file
/// the command loads (its `.env`, or the `--env-file` a compose command of
/// the repository gives it; whatever the file holds, they agree); a prisma.yml that reads
/// `${env:PRISMA_MANAGEMENT_API_SECRET}` from an env file not in the
/// repository; an env file git tracks although `.gitignore` names it.
/// A command that loads another file is still reported, and an absent env
/// file whose committed siblings set the secret is only `low`.
#[test]
fn the_repository_settles_it_indirectly() {
    assert!(judged("shared-env").is_empty());
    assert_eq!(judged("shared-env-other"), ["package.json:4 medium"]);
    // The compose command that fills the server's secret from the same env
    // file is in a script that never names Prisma.
    assert!(judged("compose-env-file").is_empty());
    assert_eq!(
        judged("compose-env-file-other"),
        ["scripts/deploy.sh:1 high"]
    );
    assert!(judged("project-reads-secret").is_empty());
    // `deploy` reads .env, which git tracks although .gitignore names it: silent.
    assert_eq!(judged("tracked-ignored"), ["package.json:4 low"]);
}

/// A Kubernetes Job that runs a script baked into its image: the Dockerfile
/// that builds the image (`docker build -t NAME -f FILE`, here in the README)
/// copies the repository's script there, so the Job's environment reaches
/// it; a ConfigMap template with the key counts as provided.
#[test]
fn a_job_runs_the_script_its_image_copied() {
    assert!(judged("k8s-job").is_empty());
    assert_eq!(judged("k8s-job-missing"), ["jobs/deploy.sh:3 high"]);
    assert_eq!(
        related("k8s-job-missing", "jobs/deploy.sh:3")[0],
        "k8s/deploy-job.yaml:12 run by Kubernetes Job \"prisma-deploy\" container \"cli\""
    );
}

/// A misnamed variable is misnamed wherever it is set: another job of the
/// same workflow setting the right name does not help the step that sets the
/// wrong one; the right name beside it in what the command sees does.
#[test]
fn a_misnamed_secret_is_judged_in_its_own_scope() {
    let misnamed = |fixture: &str| -> Vec<String> {
        let v = check_json(fixture, &["--select", "misnamed-management-secret"]);
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["line"]))
            .collect()
    };
    assert_eq!(
        misnamed("misnamed-scope"),
        [".github/workflows/release.yml:11"]
    );
    assert!(misnamed("misnamed-scope-right").is_empty());
}

/// What `check` shows by default: judgements of confidence `medium` and
/// above; the rest are counted in the summary and one flag away.
#[test]
fn low_confidence_is_one_flag_away() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/judge/protected-configs");
    let run = |extra: &[&str]| -> serde_json::Value {
        check_json("protected-configs", &[&["--select", RULE], extra].concat())
    };
    let default = run(&[]);
    assert_eq!(default["findings"].as_array().unwrap().len(), 0);
    assert_eq!(default["summary"]["below_confidence"], 1);
    for flags in [
        &["--min-confidence", "low"][..],
        &["--persona", "auditor"][..],
    ] {
        let all = run(flags);
        assert_eq!(all["findings"].as_array().unwrap().len(), 1, "{flags:?}");
        assert_eq!(all["summary"]["below_confidence"], 0);
    }
    assert_eq!(
        run(&["--min-confidence", "high"])["findings"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // The human summary says what was hidden and how to see it.
    let out = Command::new(env!("CARGO_BIN_EXE_prisma1-lint"))
        .args(["check", "--no-config", "--select", RULE, "--color", "never"])
        .arg(&dir)
        .output()
        .expect("run prisma1-lint");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 below confidence medium hidden (`--min-confidence low` shows them)"),
        "{text}"
    );
    assert!(out.status.success(), "hidden findings do not fail the run");
}

/// GitHub Actions' first, HCL format (`.github/main.workflow`): an action's
/// `runs` + `args` run with its `env` and the `secrets` it names.
#[test]
fn hcl_workflows_are_callers_too() {
    assert!(judged("hcl-workflow").is_empty());
    assert_eq!(
        judged("hcl-workflow-missing"),
        ["backend/package.json:4 high"]
    );
}

/// A command run from a developer's shell, where the repository's own words
/// (a README's `export`, a comment above the server code) tell whoever runs
/// it to set the secret: the repository says the shell has it, so the
/// finding drops to `low` (hidden by default). A mere mention of the
/// variable, or code that sets it inside the program, says nothing of the
/// shell.
#[test]
fn instructions_to_set_the_secret_by_hand_make_the_finding_low() {
    assert_eq!(judged("operator-docs"), ["backend/package.json:3 low"]);
    assert_eq!(
        judged("operator-docs-comment"),
        ["backend/package.json:3 low"]
    );
    assert_eq!(
        judged("operator-docs-mention"),
        ["backend/package.json:3 medium"]
    );
}
