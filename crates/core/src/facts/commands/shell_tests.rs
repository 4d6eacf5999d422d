//! Shell splitting, state and wrappers, checked through whole shell scripts.

use super::show_all;
use crate::kind::FileKind;

fn sh(text: &str) -> Vec<String> {
    show_all("deploy.sh", FileKind::Shell, text)
}

#[test]
fn operators_split_commands() {
    assert_eq!(
        sh("a 1 && b 2 || c; d | e & f\ng"),
        [
            "1:1-1:4 [a 1]",
            "1:8-1:11 [b 2]",
            "1:15-1:16 [c]",
            "1:18-1:19 [d]",
            "1:22-1:23 [e]",
            "1:26-1:27 [f]",
            "2:1-2:2 [g]"
        ]
    );
}

#[test]
fn substitutions_are_commands_too() {
    assert_eq!(
        sh("echo \"$(prisma1 token -e .env)\" `whoami`"),
        [
            "1:1-1:41 [echo $(prisma1 token -e .env) `whoami`]",
            "1:9-1:30 [prisma1 token -e .env]",
            "1:34-1:40 [whoami]",
        ]
    );
}

#[test]
fn continuations_and_comments() {
    assert_eq!(
        sh("prisma1 deploy \\\n  --force # not -e x\n# prisma1 delete\n"),
        ["1:1-2:10 @1:1-1:15 [prisma1 deploy --force]"]
    );
}

#[test]
fn inline_assignments_form_an_inline_scope() {
    assert_eq!(
        sh("PRISMA_MANAGEMENT_API_SECRET=$S A=1 prisma1 deploy"),
        ["1:1-1:51 @1:37-1:51 [prisma1 deploy] Inline(inline):A=1,PRISMA_MANAGEMENT_API_SECRET=?"]
    );
}

#[test]
fn env_and_cross_env_are_inline_scopes() {
    assert_eq!(
        sh("env -i A=1 prisma deploy\ncross-env B=2 npx prisma1 deploy"),
        [
            "1:1-1:25 [prisma deploy] w=env Inline(inline):A=1",
            "2:1-2:33 [prisma1 deploy] w=cross-env,npx Inline(inline):B=2",
        ]
    );
}

#[test]
fn earlier_exports_reach_later_commands_only() {
    assert_eq!(
        sh("prisma1 deploy\nexport S=\"x\" T\nU=$V\nprisma1 deploy"),
        [
            "1:1-1:15 [prisma1 deploy]",
            "2:1-2:15 [export S=x T]",
            "4:1-4:15 [prisma1 deploy] Export(script):S=x,T=?,U=?",
        ]
    );
}

#[test]
fn cd_changes_the_directory_for_the_rest() {
    assert_eq!(
        show_all(
            "scripts/deploy.sh",
            FileKind::Shell,
            "cd server && prisma1 deploy\nprisma1 token\n(cd ../db; a)\nb"
        ),
        [
            "1:1-1:10 cwd=scripts [cd server]",
            "1:14-1:28 cwd=scripts/server [prisma1 deploy]",
            "2:1-2:14 cwd=scripts/server [prisma1 token]",
            "3:2-3:10 cwd=scripts/server [cd ../db]",
            "3:12-3:13 cwd=scripts/db [a]",
            "4:1-4:2 cwd=scripts/server [b]",
        ]
    );
}

#[test]
fn sh_c_strings_are_split_with_exact_positions() {
    assert_eq!(
        sh("A=1 bash -c 'cd api && prisma1 deploy'"),
        [
            "1:14-1:20 [cd api] w=bash -c Inline(inline):A=1",
            "1:24-1:38 cwd=api [prisma1 deploy] w=bash -c Inline(inline):A=1",
        ]
    );
}

#[test]
fn control_keywords_stay_out_of_argv() {
    assert_eq!(sh("if [ -f x ]; then prisma1 deploy; else exit 1; fi\nfor s in a b; do prisma1 token; done"), [
        "1:4-1:12 [[ -f x ]]",
        "1:19-1:33 [prisma1 deploy]",
        "1:40-1:46 [exit 1]",
        "2:18-2:31 [prisma1 token]",
    ]);
}

#[test]
fn case_patterns_and_functions_are_grammar() {
    assert_eq!(
        sh("deploy() {\n  prisma1 deploy\n}\ncase $1 in\n  prod|p) a ;;\n  *) b;;\nesac"),
        [
            "2:3-2:17 [prisma1 deploy] fn=deploy",
            "5:11-5:12 [a]",
            "6:6-6:7 [b]",
        ]
    );
}

#[test]
fn a_function_body_runs_where_it_is_called() {
    // Read as written once (marked), then run at each call with the caller's
    // state; a `cd` in the body moves the caller's shell too.
    let script = "up() {
  cd api
  export A=1
}
deploy() {
  prisma1 deploy
}
unused() { prisma1 delete; }
up
deploy
";
    assert_eq!(
        sh(script),
        [
            "2:3-2:9 [cd api] fn=up",
            "2:3-2:9 [cd api]",
            "3:3-3:13 cwd=api [export A=1] fn=up",
            "3:3-3:13 cwd=api [export A=1]",
            "6:3-6:17 [prisma1 deploy] fn=deploy",
            "6:3-6:17 cwd=api [prisma1 deploy] Export(script):A=1",
            "8:12-8:26 [prisma1 delete] fn=unused",
        ]
    );
    // `function name`, `function name()`, recursion and calls inside calls.
    assert_eq!(
        sh("function a { b; a; }
function b() {
  prisma1 deploy
}
a
"),
        [
            "1:14-1:15 [b] fn=a",
            "1:17-1:18 [a] fn=a",
            "3:3-3:17 [prisma1 deploy] fn=b",
            "3:3-3:17 [prisma1 deploy]",
        ]
    );
}

#[test]
fn calls_that_multiply_stop_at_a_budget() {
    // f1 calls f0 twice, f2 calls f1 twice, ...: 2^20 runs of the body unless bounded.
    let mut script = String::from("f0() { prisma1 deploy; }\n");
    for i in 1..=20 {
        script.push_str(&format!("f{i}() {{ f{}; f{}; }}\n", i - 1, i - 1));
    }
    script.push_str("f20\n");
    let sites = sh(&script);
    assert!(sites.len() < 600, "{}", sites.len());
}

#[test]
fn the_scripts_own_folder_is_where_it_says() {
    let sh_in = |text: &str| show_all("tools/db/deploy.sh", FileKind::Shell, text);
    assert_eq!(
        sh_in("cd \"$(dirname \"$0\")\"/..\nprisma1 deploy -e ../config/.env.dev\n"),
        [
            "1:1-1:24 cwd=tools/db [cd $(dirname \"$0\")/..]",
            "1:7-1:19 cwd=tools/db [dirname $0]",
            "2:1-2:37 cwd=tools [prisma1 deploy -e ../config/.env.dev] anchored",
        ]
    );
    let sites = sh_in("DIR=$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\ncd \"$DIR/prisma\"\nprisma1 deploy\n");
    assert!(
        sites
            .last()
            .is_some_and(|s| s.contains("cwd=tools/db/prisma [prisma1 deploy] anchored")),
        "{sites:?}"
    );
    // Another variable, or another script's folder, moves nothing.
    let sites = sh_in("cd \"$(dirname \"$1\")\"\nprisma1 deploy\n");
    assert!(sites.last().is_some_and(|s| s.contains("cwd=tools/db [prisma1 deploy]") && !s.contains("anchored")), "{sites:?}");
}

#[test]
fn redirections_and_heredocs_are_not_arguments() {
    assert_eq!(
        sh("prisma1 deploy > out.log 2>&1\ncat <<EOF\nprisma1 delete\nEOF\nb"),
        ["1:1-1:15 [prisma1 deploy]", "2:1-2:4 [cat]", "5:1-5:2 [b]",]
    );
}

#[test]
fn package_runners_are_peeled() {
    assert_eq!(sh("npx -y prisma@1.34 deploy\nbunx prisma1 token\nyarn prisma1 deploy\nyarn run deploy\nyarn install\npnpm exec prisma deploy\npnpm dlx prisma1 deploy\nnpm exec -- prisma deploy\nnpm run deploy -- -f\nnpm test\npnpm build"), [
        "1:1-1:26 [prisma@1.34 deploy] w=npx",
        "2:1-2:19 [prisma1 token] w=bunx",
        "3:1-3:20 [prisma1 deploy] w=yarn",
        "4:1-4:16 [deploy] w=yarn run",
        "5:1-5:13 [yarn install]",
        "6:1-6:24 [prisma deploy] w=pnpm exec",
        "7:1-7:24 [prisma1 deploy] w=pnpm dlx",
        "8:1-8:26 [prisma deploy] w=npm exec",
        "9:1-9:21 [deploy -- -f] w=npm run",
        "10:1-10:9 [test] w=npm run",
        "11:1-11:11 [build] w=pnpm",
    ]);
}

#[test]
fn local_bins_and_process_wrappers_are_peeled() {
    assert_eq!(sh("./node_modules/.bin/prisma deploy\nsudo -E node_modules/.bin/prisma1 token\ntime nohup exec prisma1 deploy\nyarn --cwd server prisma1 deploy"), [
        "1:1-1:34 [prisma deploy] w=node_modules/.bin",
        "2:1-2:40 [prisma1 token] w=sudo,node_modules/.bin",
        "3:1-3:31 [prisma1 deploy] w=time,nohup,exec",
        "4:1-4:33 cwd=server [prisma1 deploy] w=yarn",
    ]);
}

#[test]
fn env_file_loaders_record_their_files() {
    assert_eq!(sh("dotenv -e .env.prod -e .env -- prisma1 deploy\ndotenv prisma1 deploy\nenv-cmd -f .env.ci prisma1 deploy\nenv-cmd .env.x prisma1 token\nenv-cmd prisma1 info"), [
        "1:1-1:46 [prisma1 deploy] w=dotenv f=.env.prod,.env",
        "2:1-2:22 [prisma1 deploy] w=dotenv f=.env",
        "3:1-3:34 [prisma1 deploy] w=env-cmd f=.env.ci",
        "4:1-4:29 [prisma1 token] w=env-cmd f=.env.x",
        "5:1-5:21 [prisma1 info] w=env-cmd f=.env",
    ]);
}

#[test]
fn malformed_scripts_do_not_panic() {
    for text in [
        "\"unterminated",
        "$(",
        "`",
        "a <<",
        "((",
        "))",
        "case",
        "x=$((1+",
        "\\",
        "$'",
        "${",
        "cd ..; cd ../../..; x",
    ] {
        let _ = sh(text);
    }
    assert_eq!(
        sh("cd ../../..; x"),
        ["1:1-1:12 [cd ../../..]", "1:14-1:15 [x]"]
    );
}

#[test]
fn containers_start_with_their_own_environment() {
    assert_eq!(
        sh("export PRISMA_ENDPOINT=http://x:4466 S=1\nA=1 docker run --rm -e PRISMA_MANAGEMENT_API_SECRET=$S -e PRISMA_ENDPOINT --env-file ci.env -w /app node:12 npx prisma1 deploy"),
        [
            "1:1-1:41 [export PRISMA_ENDPOINT=http://x:4466 S=1]",
            "2:1-2:127 @2:109-2:127 [prisma1 deploy] w=docker run,npx f=ci.env in=DockerImage:node:12 Docker(node:12):PRISMA_ENDPOINT=http://x:4466,PRISMA_MANAGEMENT_API_SECRET=?",
        ]
    );
}

#[test]
fn docker_exec_and_compose_run_reach_the_inner_command() {
    assert_eq!(
        sh("docker exec -it api sh -c 'cd /app && prisma deploy'\ndocker-compose -f ci.yml run --rm -e K=v prisma-cli prisma1 deploy\ndocker compose exec -T api yarn prisma1 token"),
        [
            "1:28-1:35 [cd /app] w=docker exec,sh -c in=DockerContainer:api o=Platform:container api",
            "1:39-1:52 [prisma deploy] w=docker exec,sh -c in=DockerContainer:api o=Platform:container api",
            "2:1-2:67 @2:53-2:67 [prisma1 deploy] w=docker-compose run in=ComposeService:prisma-cli Docker(prisma-cli):K=v",
            "3:1-3:46 @3:28-3:46 [prisma1 token] w=docker compose exec,yarn in=ComposeService:api",
        ]
    );
}

#[test]
fn multi_line_sh_c_scripts_keep_cd_and_export() {
    assert_eq!(
        sh("bash -c \"\n  export PRISMA_MANAGEMENT_API_SECRET=x\n  cd api\n  prisma1 deploy\n\"\n"),
        [
            "2:3-2:40 [export PRISMA_MANAGEMENT_API_SECRET=x] w=bash -c",
            "3:3-3:9 [cd api] w=bash -c Export(script):PRISMA_MANAGEMENT_API_SECRET=x",
            "4:3-4:17 cwd=api [prisma1 deploy] w=bash -c Export(script):PRISMA_MANAGEMENT_API_SECRET=x",
        ]
    );
}

#[test]
fn remote_and_platform_launchers() {
    assert_eq!(
        sh("ssh -i key deploy@host 'cd app && npx prisma1 deploy'\nheroku run -a shop \"prisma1 deploy\"\nkubectl exec -n prod deploy/api -- prisma1 deploy\ndoppler run --project p -- prisma1 deploy"),
        [
            "1:25-1:31 [cd app] w=ssh in=SshHost:deploy@host o=Platform:host deploy@host",
            "1:35-1:53 cwd=app [prisma1 deploy] w=ssh,npx in=SshHost:deploy@host o=Platform:host deploy@host",
            "2:21-2:35 [prisma1 deploy] w=heroku run in=HerokuDyno:shop o=Platform:heroku app shop",
            "3:1-3:50 @3:36-3:50 [prisma1 deploy] w=kubectl exec in=KubernetesPod:deploy/api o=Platform:pod deploy/api",
            "4:1-4:42 [prisma1 deploy] w=doppler o=SecretRunner:doppler",
        ]
    );
}

#[test]
fn env_i_drops_the_outside_environment() {
    assert_eq!(
        sh("export S=1\nenv -i PATH=/bin prisma1 deploy\nsudo -u app nohup time prisma1 deploy"),
        [
            "1:1-1:11 [export S=1]",
            "2:1-2:32 [prisma1 deploy] w=env Inline(inline):PATH=/bin",
            "3:1-3:38 [prisma1 deploy] w=sudo,nohup,time Export(script):S=1",
        ]
    );
}

#[test]
fn the_finding_span_is_the_command_words_on_the_program_line() {
    assert_eq!(
        sh("PRISMA_ENDPOINT=https://p.example.com/s/dev \\\n  npx prisma1 deploy \\\n  --force\n"),
        ["1:1-3:10 @2:3-2:21 [prisma1 deploy --force] w=npx Inline(inline):PRISMA_ENDPOINT=https://p.example.com/s/dev"]
    );
}

#[test]
fn sourced_env_files_reach_later_commands() {
    assert_eq!(
        show_all(
            "ops/deploy.sh",
            FileKind::Shell,
            "set -a\n. ./.env.prod\nset +a\ncd ../api\nexport $(grep -v '^#' ci.env | xargs)\nprisma1 deploy\n"
        ),
        [
            "1:1-1:7 cwd=ops [set -a]",
            "2:1-2:14 cwd=ops [. ./.env.prod]",
            "3:1-3:7 cwd=ops [set +a] f=/ops/.env.prod",
            "4:1-4:10 cwd=ops [cd ../api] f=/ops/.env.prod",
            "5:1-5:38 cwd=api [export $(grep -v '^#' ci.env | xargs)] f=/ops/.env.prod",
            "5:10-5:29 cwd=api [grep -v ^# ci.env] f=/ops/.env.prod",
            "5:32-5:37 cwd=api [xargs] f=/ops/.env.prod",
            "6:1-6:15 cwd=api [prisma1 deploy] f=/ops/.env.prod,/api/ci.env",
        ]
    );
}

#[test]
fn workspace_runners_name_their_package() {
    assert_eq!(
        sh("yarn workspace @shop/api prisma1 deploy\nnpm run deploy --workspace=api\npnpm --filter api exec prisma1 token"),
        [
            "1:1-1:40 ws=@shop/api [prisma1 deploy] w=yarn workspace,yarn",
            "2:1-2:31 ws=api [deploy --workspace=api] w=npm run",
            "3:1-3:37 ws=api [prisma1 token] w=pnpm exec",
        ]
    );
}

#[test]
fn waiters_timeouts_and_eval_start_the_real_command() {
    assert_eq!(
        sh("./wait-for-it.sh prisma:4466 -t 60 -- npx prisma1 deploy\ntimeout -s KILL 300 prisma1 deploy\nnice -n 10 prisma1 token\ndockerize -wait tcp://db:5432 -timeout 60s prisma1 deploy\ndotenvx run -f .env.ci -- prisma1 deploy\neval \"prisma1 $CMD --force\""),
        [
            "1:1-1:57 [prisma1 deploy] w=wait-for-it.sh,npx",
            "2:1-2:35 [prisma1 deploy] w=timeout",
            "3:1-3:25 [prisma1 token] w=nice",
            "4:1-4:58 [prisma1 deploy] w=dockerize",
            "5:1-5:41 [prisma1 deploy] w=dotenvx f=.env.ci",
            "6:7-6:27 [prisma1 $CMD --force] w=eval",
        ]
    );
}

#[test]
fn a_variable_as_the_command_word_is_its_value() {
    assert_eq!(
        sh("PRISMA=\"npx prisma1\"\n$PRISMA deploy\n\"${PRISMA}\" token\n$UNKNOWN deploy"),
        [
            "2:1-2:15 [prisma1 deploy] w=npx Export(script):PRISMA=npx prisma1",
            "3:1-3:18 [prisma1 token] w=npx Export(script):PRISMA=npx prisma1",
            "4:1-4:16 [$UNKNOWN deploy] Export(script):PRISMA=npx prisma1",
        ]
    );
}

#[test]
fn here_documents_fed_to_a_shell_are_scripts() {
    assert_eq!(
        sh("ssh deploy@host <<'EOF'\ncd app\nprisma1 deploy\nEOF\ncat <<X | bash -e\nprisma1 token\nX\ncat <<EOF > notes.txt\nprisma1 delete\nEOF\n"),
        [
            "1:1-1:16 [ssh deploy@host]",
            "2:1-2:7 [cd app] w=ssh in=SshHost:deploy@host o=Platform:host deploy@host",
            "3:1-3:15 cwd=app [prisma1 deploy] w=ssh in=SshHost:deploy@host o=Platform:host deploy@host",
            "5:1-5:4 [cat]",
            "5:11-5:18 [bash -e]",
            "6:1-6:14 [prisma1 token] w=bash",
            "8:1-8:4 [cat]",
        ]
    );
}

/// A file keeps, under any [`super::Keep`], the commands other judgements
/// read although they name no Prisma: image builds (an image name's
/// Dockerfile), compose commands (their env files) and, after a `source`,
/// words that may call one of the sourced file's functions; not the
/// commands before the `source`.
#[test]
fn image_builds_compose_and_calls_after_a_source_are_kept() {
    let text = "setup_env\ndocker build -t acme/jobs -f Dockerfile.jobs .\ncd api && docker-compose --env-file ../.env.dev up -d\nsource ./lib.sh\ndeploy_prisma --force\n";
    for keep in [super::Keep::Callers, super::Keep::Relevant] {
        let kept: Vec<String> = super::extract_kept("run.sh", FileKind::Shell, text, keep)
            .sites
            .iter()
            .map(|s| s.argv[0].clone())
            .collect();
        assert_eq!(
            kept,
            ["docker", "docker-compose", "source", "deploy_prisma"],
            "{keep:?}"
        );
    }
}
