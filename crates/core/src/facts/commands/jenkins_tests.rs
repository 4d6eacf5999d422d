//! Tests of the commands read from Jenkinsfiles, through the whole extraction
//! ([`show_all`](super::super::show_all)): a file of their own, so that the
//! extractor does not depend on the dispatcher that calls it.

use super::super::show_all;
use crate::kind::FileKind;

#[test]
fn named_arguments_in_any_order() {
    let text = "node {\n  sh label: 'seed', returnStatus: true, script: 'npx prisma1 seed'\n  sh(returnStdout: true, script: \"prisma1 token\")\n}\n";
    let got = show_all("Jenkinsfile", FileKind::Jenkinsfile, text);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].contains("[prisma1 seed] w=npx"), "{got:?}");
    assert!(got[1].contains("[prisma1 token]"), "{got:?}");
}

#[test]
fn sh_steps_with_environment_and_with_env() {
    let text = r#"pipeline {
  environment {
    PRISMA_MANAGEMENT_API_SECRET = credentials('mgmt')
    A = 'a' // note
  }
  stages {
    stage('Deploy') {
      environment { S = "x" }
      steps {
        sh 'npx prisma1 deploy'
        withEnv(['W=1']) {
          sh(script: """
            cd server
            prisma deploy
          """)
        }
      }
    }
    stage('Other') { steps { sh "prisma1 token -e \"../.env\"" } }
  }
}
"#;
    assert_eq!(
            show_all("Jenkinsfile", FileKind::Jenkinsfile, text),
            [
                "10:13-10:31 [prisma1 deploy] w=npx Job(stage):S=x Global(pipeline):A=a,PRISMA_MANAGEMENT_API_SECRET=?",
                "13:13-13:22 [cd server] Step(withEnv):W=1 Job(stage):S=x Global(pipeline):A=a,PRISMA_MANAGEMENT_API_SECRET=?",
                "14:13-14:26 cwd=server [prisma deploy] Step(withEnv):W=1 Job(stage):S=x Global(pipeline):A=a,PRISMA_MANAGEMENT_API_SECRET=?",
                "19:34-19:62 [prisma1 token -e ../.env] Global(pipeline):A=a,PRISMA_MANAGEMENT_API_SECRET=?",
            ]
        );
}

#[test]
fn unterminated_input_does_not_panic() {
    for text in [
        "sh '",
        "sh \"\"\"",
        "environment {",
        "withEnv([",
        "/*",
        "sh(script:",
        "é sh 'é'",
    ] {
        let _ = show_all("Jenkinsfile", FileKind::Jenkinsfile, text);
    }
}
