//! Tests of the commands read from Dockerfiles, through the whole extraction
//! ([`show_all`](super::super::show_all)): a file of their own, so that the
//! extractor does not depend on the dispatcher that calls it.

use super::super::show_all;
use crate::kind::FileKind;

fn df(text: &str) -> Vec<String> {
    show_all("server/Dockerfile", FileKind::Dockerfile, text)
}

#[test]
fn run_cmd_entrypoint_in_both_forms() {
    let text = "FROM node:12\nWORKDIR /app\nRUN npm ci && \\\n    npx prisma1 deploy\nCMD [\"npx\", \"prisma1\", \"deploy\"]\nENTRYPOINT [\"sh\", \"-c\", \"prisma deploy\"]\n";
    assert_eq!(
        df(text),
        [
            "3:5-3:11 cwd=server [npm ci]",
            "4:5-4:23 cwd=server [prisma1 deploy] w=npx",
            "5:7-5:31 cwd=server [prisma1 deploy] w=npx",
            "6:26-6:39 cwd=server [prisma deploy] w=sh -c",
        ]
    );
}

#[test]
fn env_arg_and_workdir_belong_to_their_stage() {
    let text = "FROM a AS build\nARG PRISMA_MANAGEMENT_API_SECRET\nENV PRISMA_CONFIG_PATH prisma.yml\nENV A=1 B=$X\nWORKDIR api\nRUN --mount=type=cache,target=/r prisma deploy\nFROM b\nRUN prisma deploy\n";
    assert_eq!(
            df(text),
            [
                "6:34-6:47 cwd=server/api [prisma deploy] Dockerfile(stage 1):A=1,B=?,PRISMA_CONFIG_PATH=prisma.yml,PRISMA_MANAGEMENT_API_SECRET=?",
                "8:5-8:18 cwd=server [prisma deploy]",
            ]
        );
}

#[test]
fn buildkit_heredocs_are_scripts() {
    let text = "FROM node:12\nRUN <<EOF\ncd prisma\nnpx prisma1 deploy\nEOF\nRUN cat <<EOT > /x\nprisma1 token\nEOT\nCMD [\"node\"]\n";
    assert_eq!(
        df(text),
        [
            "3:1-3:10 cwd=server [cd prisma]",
            "4:1-4:19 cwd=server/prisma [prisma1 deploy] w=npx",
            "6:5-6:8 cwd=server [cat]",
            "9:7-9:11 cwd=server [node]",
        ]
    );
}

#[test]
fn comments_inside_continuations_and_bad_json() {
    let text = "RUN a \\\n# note\n  && b\nCMD [\"x\", \nRUN";
    assert_eq!(
        df(text),
        [
            "1:5-1:6 cwd=server [a]",
            "3:6-3:7 cwd=server [b]",
            "4:5-4:10 cwd=server [[x,]"
        ]
    );
}
