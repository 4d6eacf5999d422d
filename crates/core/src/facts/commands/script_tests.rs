//! Makefiles, Procfiles and Heroku app.json.

use super::super::{extract, show, show_all};
use crate::kind::FileKind;

#[test]
fn makefile_recipes_see_only_exported_variables() {
    let text = "SECRET = abc\nexport PRISMA_MANAGEMENT_API_SECRET := $(SECRET)\nexport A = 1\n\ndeploy: build\n\t@cd prisma && \\\n\t  prisma deploy\n\t-$(PRISMA) token\n.PHONY: deploy\n";
    let sites = extract("api/Makefile", FileKind::Makefile, text);
    let view: Vec<String> = sites
        .iter()
        .map(|s| format!("{} | {}", s.source, show(s)))
        .collect();
    assert_eq!(
        view,
        [
            r#"Makefile target "deploy" | 6:3-6:12 cwd=api [cd prisma] Makefile(Makefile):A=1,PRISMA_MANAGEMENT_API_SECRET=abc"#,
            r#"Makefile target "deploy" | 7:4-7:17 cwd=api/prisma [prisma deploy] Makefile(Makefile):A=1,PRISMA_MANAGEMENT_API_SECRET=abc"#,
            r#"Makefile target "deploy" | 8:3-8:18 cwd=api [$(PRISMA) token] Makefile(Makefile):A=1,PRISMA_MANAGEMENT_API_SECRET=abc"#,
        ]
    );
}

#[test]
fn makefile_plain_variables_are_not_environment() {
    let text =
        "PRISMA_MANAGEMENT_API_SECRET = x\ndeploy:\n\tprisma1 deploy\n\tcd a; echo $$(pwd)\n";
    assert_eq!(
        show_all("Makefile", FileKind::Makefile, text),
        [
            "3:2-3:16 [prisma1 deploy]",
            "4:2-4:6 [cd a]",
            "4:8-4:20 cwd=a [echo $(pwd)]",
            "4:16-4:19 cwd=a [pwd]"
        ]
    );
}

#[test]
fn makefile_export_all_with_included_env_file() {
    let text = "include .env\nexport\nX = 1\nd:\n\tprisma1 deploy\n";
    assert_eq!(
        show_all("Makefile", FileKind::Makefile, text),
        ["5:2-5:16 [prisma1 deploy] f=.env Makefile(Makefile):X=1"]
    );
}

#[test]
fn procfile_processes() {
    let text = "web: node index.js\nrelease: npx prisma1 deploy -e .env\n# x: y\n";
    assert_eq!(
        show_all("Procfile", FileKind::Procfile, text),
        [
            "1:6-1:19 [node index.js]",
            "2:10-2:36 [prisma1 deploy -e .env] w=npx"
        ]
    );
}

#[test]
fn heroku_app_scripts_and_env() {
    let text = r#"{
  "scripts": {"postdeploy": "prisma deploy", "pr-predestroy": {"command": "prisma delete -f"}},
  "env": {
    "PRISMA_MANAGEMENT_API_SECRET": {"generator": "secret"},
    "A": "1",
    "B": {"description": "optional", "required": false},
    "C": {"required": true}
  }
}"#;
    assert_eq!(
        show_all("app.json", FileKind::HerokuApp, text),
        [
            "2:30-2:43 [prisma deploy] Global(app.json env):A=1,C=?,PRISMA_MANAGEMENT_API_SECRET=?",
            "2:76-2:92 [prisma delete -f] Global(app.json env):A=1,C=?,PRISMA_MANAGEMENT_API_SECRET=?",
        ]
    );
    assert!(show_all("app.json", FileKind::HerokuApp, "{\"scripts\": ").is_empty());
}

#[test]
fn makefile_variables_expand_into_recipes() {
    let text = "DOCKER = docker-compose run --rm\nRUN := $(DOCKER) node\nSTAGE ?= dev\nSTAGE ?= prod\nFLAGS = -e .env.$(STAGE)\nFLAGS += --force\ndeploy:\n\t@$(RUN) npx prisma ${SUBCMD} $(FLAGS)\n\t$(MAKE) other\n";
    let text = text.replace("${SUBCMD}", "deploy");
    assert_eq!(
        show_all("Makefile", FileKind::Makefile, &text),
        [
            "8:3-8:36 @8:10-8:36 [prisma deploy -e .env.dev --force] w=docker-compose run,npx in=ComposeService:node",
            "9:2-9:15 [make other]",
        ]
    );
}

#[test]
fn makefile_define_target_specific_and_oneshell() {
    let text = ".ONESHELL:\ndefine DEPLOY\ncd prisma\nprisma1 deploy\nendef\nexport A = 1\nprod: export PRISMA_MANAGEMENT_API_SECRET = $(SECRET)\nprod: B = 2\nprod:\n\texport C=3\n\t$(DEPLOY)\nother:\n\tprisma1 deploy\n";
    assert_eq!(
        show_all("Makefile", FileKind::Makefile, text),
        [
            "10:2-10:12 [export C=3] Makefile(Makefile):A=1,PRISMA_MANAGEMENT_API_SECRET=?",
            "11:2-11:11 [cd prisma] Export(script):C=3 Makefile(Makefile):A=1,PRISMA_MANAGEMENT_API_SECRET=?",
            "11:2-11:11 cwd=prisma [prisma1 deploy] Export(script):C=3 Makefile(Makefile):A=1,PRISMA_MANAGEMENT_API_SECRET=?",
            "13:2-13:16 [prisma1 deploy] Makefile(Makefile):A=1",
        ]
    );
}

#[test]
fn makefile_self_reference_and_functions_stay_bounded() {
    let text = "A = $(A) x\nB = $(shell git rev-parse HEAD)\nt: ; prisma1 deploy $(A) $(B)\n";
    let sites = extract("Makefile", FileKind::Makefile, text);
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0].argv[0], "prisma1");
    assert_eq!(sites[0].location.line, 3);
}

#[test]
fn makefile_guards_and_exported_env_includes() {
    let text = "ifneq (,$(wildcard ./.env))\n    include .env\n    export $(shell sed 's/=.*//' .env)\nendif\nenv-%:\n\t@ if [ \"${${*}}\" = \"\" ]; then exit 1; fi\ndeploy: env-PRISMA_MANAGEMENT_API_SECRET build\n\tcd prisma && yarn deploy\n";
    assert_eq!(
        show_all("Makefile", FileKind::Makefile, text),
        [
            "6:7-6:25 [[ ${${*}} =  ]] f=.env",
            "6:32-6:38 [exit 1] f=.env",
            "8:2-8:11 [cd prisma] f=.env Makefile(Makefile):PRISMA_MANAGEMENT_API_SECRET=?",
            "8:15-8:26 cwd=prisma [deploy] w=yarn f=.env Makefile(Makefile):PRISMA_MANAGEMENT_API_SECRET=?",
        ]
    );
}
