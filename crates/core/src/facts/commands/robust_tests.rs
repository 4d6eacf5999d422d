//! No input makes extraction panic, and every location stays inside its file.

use super::extract;
use crate::kind::FileKind;

const PIECES: [&str; 40] = [
    "\"",
    "'",
    "$(",
    ")",
    "(",
    "{",
    "}",
    "`",
    "\\",
    "\n",
    " ",
    "|",
    "&",
    ";",
    "<<",
    "EOF",
    "é",
    "[",
    "]",
    ":",
    "-",
    "run: |",
    "  ",
    "sh '",
    "\"\"\"",
    "=",
    "export A=",
    "cd ..",
    "#",
    "\t",
    ",",
    "prisma1 deploy",
    "npx",
    "bash -c",
    "${{",
    "}}",
    "\r\n",
    "- ",
    "scripts",
    "$$",
];

const KINDS: [FileKind; 16] = [
    FileKind::Shell,
    FileKind::PackageJson,
    FileKind::Makefile,
    FileKind::Dockerfile,
    FileKind::Procfile,
    FileKind::HerokuApp,
    FileKind::Compose,
    FileKind::GithubActions,
    FileKind::GitlabCi,
    FileKind::Circleci,
    FileKind::Travis,
    FileKind::Bitbucket,
    FileKind::AzurePipelines,
    FileKind::Jenkinsfile,
    FileKind::Netlify,
    FileKind::Vercel,
];

/// A small deterministic generator, so a failure reproduces.
fn inputs() -> Vec<String> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    (0..400)
        .map(|_| {
            let len = next() % 60;
            (0..len).map(|_| PIECES[next() % PIECES.len()]).collect()
        })
        .collect()
}

#[test]
fn random_inputs_never_panic_and_stay_in_bounds() {
    let mut inputs = inputs();
    inputs.push(
        "{\"scripts\": {\"a\": \"npm run b\", \"b\": \"npm run a\", \"prea\": \"x\"}}".into(),
    );
    inputs.push("jobs:\n  j:\n    steps:\n      - run: |\n".into());
    for text in &inputs {
        for kind in KINDS {
            for site in extract("d/f", kind, text) {
                let l = &site.location;
                assert!(
                    l.start_byte <= l.end_byte && l.end_byte <= text.len(),
                    "{kind:?} {text:?} {site:?}"
                );
                assert!(!site.argv.is_empty());
            }
        }
    }
}

#[test]
fn deep_nesting_is_cut_off() {
    let text = format!("{}x{}", "$(".repeat(5000), ")".repeat(5000));
    let sites = extract("deep.sh", FileKind::Shell, &text);
    assert!(sites.len() <= 14);
    let quoted = format!("{}x", "sh -c ".repeat(200));
    let _ = extract("deep.sh", FileKind::Shell, &quoted);
}

#[test]
fn commands_share_the_scope_they_see_instead_of_copying_it() {
    // 1,000 exports then 1,000 commands: every command sees the same scope,
    // held once, so memory stays linear in the script.
    let mut script = String::new();
    for i in 0..1000 {
        script.push_str(&format!("export V{i}=x\n"));
    }
    for _ in 0..1000 {
        script.push_str("prisma1 deploy\n");
    }
    let sites = extract("deploy.sh", FileKind::Shell, &script);
    let deploys: Vec<_> = sites.iter().filter(|s| s.argv[0] == "prisma1").collect();
    assert_eq!(deploys.len(), 1000);
    let first = &deploys[0].env[0].vars;
    assert_eq!(first.len(), 1000);
    assert!(deploys.iter().all(|s| s.env[0].vars.ptr_eq(first)));
}
