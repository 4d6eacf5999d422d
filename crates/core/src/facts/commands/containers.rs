//! Launchers that run a command somewhere else: in a container (`docker run`,
//! `docker exec`, `docker compose run|exec`, `kubectl exec`), on another
//! machine (`ssh HOST CMD`, `heroku run CMD`), or under a secret manager
//! (`doppler run -- CMD`). The inner command is what matters, and so is its
//! environment, which is *not* the caller's: a container sees only its `-e`
//! flags, `--env-file`s and its own configuration; a remote host sees its own.
//!
//! Each launcher is a table of options that take a value, so the inner
//! command is found however the flags are written (`-e K=V`, `--env=K=V`,
//! `-it`, `--rm`).

use super::lex::Word;
use super::peeled::Peeled;
use super::site::{Container, ContainerKind, OpaqueKind};

/// `docker run` options that take a value (without the `=`).
const DOCKER_RUN_VALUE: &[&str] = &[
    "-e",
    "--env",
    "--env-file",
    "-v",
    "--volume",
    "-w",
    "--workdir",
    "--name",
    "--network",
    "--net",
    "-p",
    "--publish",
    "-u",
    "--user",
    "--entrypoint",
    "-l",
    "--label",
    "--label-file",
    "--mount",
    "--add-host",
    "-h",
    "--hostname",
    "--link",
    "--restart",
    "-m",
    "--memory",
    "--cpus",
    "--platform",
    "--pull",
    "--ulimit",
    "--device",
    "--dns",
    "--log-driver",
    "--log-opt",
    "--cap-add",
    "--cap-drop",
    "--security-opt",
    "--tmpfs",
    "--shm-size",
    "--expose",
    "--gpus",
    "--ipc",
    "--pid",
    "--runtime",
    "--stop-signal",
    "--cidfile",
    "--volumes-from",
    "--group-add",
    "-a",
    "--attach",
    "--health-cmd",
    "--cgroupns",
    "--cpu-shares",
    "-c",
];

/// `docker exec` options that take a value.
const DOCKER_EXEC_VALUE: &[&str] = &[
    "-e",
    "--env",
    "--env-file",
    "-u",
    "--user",
    "-w",
    "--workdir",
    "--detach-keys",
];

/// `docker compose` / `docker-compose` options before the sub-command.
const COMPOSE_GLOBAL_VALUE: &[&str] = &[
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--project-directory",
    "--env-file",
    "--profile",
    "--ansi",
    "--progress",
    "--parallel",
    "-c",
    "--context",
    "-H",
    "--host",
];

/// `docker compose run` / `exec` options that take a value.
const COMPOSE_RUN_VALUE: &[&str] = &[
    "-e",
    "--env",
    "-w",
    "--workdir",
    "--name",
    "-p",
    "--publish",
    "-u",
    "--user",
    "-v",
    "--volume",
    "--entrypoint",
    "-l",
    "--label",
    "--index",
    "--cap-add",
    "--cap-drop",
    "--pull",
];

/// `kubectl` options that take a value.
const KUBECTL_VALUE: &[&str] = &[
    "-n",
    "--namespace",
    "-c",
    "--container",
    "--context",
    "--kubeconfig",
    "--cluster",
    "--user",
    "-f",
    "--filename",
    "--pod-running-timeout",
    "-s",
    "--server",
    "--token",
];

/// `heroku run` options that take a value.
const HEROKU_VALUE: &[&str] = &[
    "-a", "--app", "-r", "--remote", "-s", "--size", "-e", "--env", "--type",
];

/// `ssh` options that take a value.
const SSH_VALUE: &[&str] = &[
    "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q",
    "-R", "-S", "-W", "-w", "-B",
];

fn value(words: &[Word], i: usize) -> Option<&str> {
    words.get(i).map(|w| w.value.as_str())
}

/// Skips options from `i`; returns the index of the first operand.
/// `-e`/`--env` values and `--env-file`s are recorded when `env` is set.
fn options(words: &[Word], mut i: usize, with_value: &[&str], p: &mut Peeled, env: bool) -> usize {
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        if v == "--" {
            return i + 1;
        }
        if !v.starts_with('-') || v == "-" {
            return i;
        }
        let (flag, inline) = match v.split_once('=') {
            Some((f, val)) if f.starts_with("--") => (f, Some(val)),
            _ => (v, None),
        };
        let takes = with_value.contains(&flag);
        let arg = match (takes, inline) {
            (true, None) => {
                i += 1;
                words.get(i)
            }
            _ => None,
        };
        if env {
            match flag {
                "-e" | "--env" => match (arg, inline) {
                    (Some(a), _) => env_flag(p, a.clone()),
                    (None, Some(val)) => {
                        let mut a = w.clone();
                        let cut = flag.len() + 1;
                        a.value = val.to_string();
                        a.idx = w.idx.get(cut..).unwrap_or_default().to_vec();
                        env_flag(p, a);
                    }
                    _ => {}
                },
                "--env-file" => {
                    if let Some(f) = arg.map(|a| a.value.clone()).or(inline.map(str::to_string)) {
                        p.env_files.push(f);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    i
}

/// `-e NAME=value` sets a variable; `-e NAME` passes the caller's through.
fn env_flag(p: &mut Peeled, w: Word) {
    if super::peeled::is_assignment(&w) {
        p.container_vars.push(w);
    } else if !w.value.is_empty() {
        p.passthrough.push(w);
    }
}

/// The environment stops at this launcher: what runs inside starts afresh.
fn boundary(p: &mut Peeled, wrapper: &str, container: Container) {
    p.wrappers.push(wrapper.to_string());
    p.reset = true;
    p.inline.clear();
    p.env_files.clear();
    p.container_vars.clear();
    p.passthrough.clear();
    p.opaque.clear();
    p.container = Some(container);
    p.launched = true;
}

/// `docker run|exec|compose ...` at `at` (the word `docker`); returns where
/// the inner command starts, or `at` when there is none.
pub(crate) fn docker(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    // Global options: `docker -H host --context c run ...`.
    let mut ignored = Peeled::default();
    let global = [
        "-H",
        "--host",
        "-c",
        "--context",
        "-l",
        "--log-level",
        "--config",
    ];
    let mut i = options(words, at + 1, &global, &mut ignored, false);
    if value(words, i) == Some("container") {
        i += 1;
    }
    let inner = match value(words, i) {
        Some("run") => docker_run(words, i + 1, p),
        Some("exec") => docker_exec(words, i + 1, p),
        Some("compose") => compose_inner(words, i + 1, p, "docker compose"),
        _ => None,
    };
    inner.unwrap_or(at)
}

fn docker_run(words: &[Word], i: usize, p: &mut Peeled) -> Option<usize> {
    let mut scratch = Peeled::default();
    let image_at = options(words, i, DOCKER_RUN_VALUE, &mut scratch, true);
    let image = value(words, image_at)?;
    if image_at + 1 >= words.len() {
        // The image's own command runs: nothing to read here.
        return None;
    }
    let container = Container {
        kind: ContainerKind::DockerImage,
        name: image.to_string(),
    };
    boundary(p, "docker run", container);
    take_env(p, scratch);
    Some(image_at + 1)
}

fn docker_exec(words: &[Word], i: usize, p: &mut Peeled) -> Option<usize> {
    let mut scratch = Peeled::default();
    let target_at = options(words, i, DOCKER_EXEC_VALUE, &mut scratch, true);
    let name = value(words, target_at)?;
    if target_at + 1 >= words.len() {
        return None;
    }
    let container = Container {
        kind: ContainerKind::DockerContainer,
        name: name.to_string(),
    };
    boundary(p, "docker exec", container);
    take_env(p, scratch);
    // A running container has an environment of its own the command line does not show.
    p.opaque.push((
        OpaqueKind::Platform,
        format!("container {name}"),
        span(&words[target_at]),
    ));
    Some(target_at + 1)
}

/// `docker-compose [global options] run|exec [options] SERVICE CMD...` at `at`.
pub(crate) fn compose(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    compose_inner(words, at + 1, p, "docker-compose").unwrap_or(at)
}

/// `words[i]` follows `compose` (or the word `docker-compose`).
fn compose_inner(words: &[Word], i: usize, p: &mut Peeled, name: &str) -> Option<usize> {
    let mut ignored = Peeled::default();
    let i = options(words, i, COMPOSE_GLOBAL_VALUE, &mut ignored, false);
    let verb = match value(words, i) {
        Some(v @ ("run" | "exec")) => v.to_string(),
        _ => return None,
    };
    let mut scratch = Peeled::default();
    let service_at = options(words, i + 1, COMPOSE_RUN_VALUE, &mut scratch, true);
    let service = value(words, service_at)?;
    if service_at + 1 >= words.len() {
        return None;
    }
    let container = Container {
        kind: ContainerKind::ComposeService,
        name: service.to_string(),
    };
    boundary(p, &format!("{name} {verb}"), container);
    take_env(p, scratch);
    Some(service_at + 1)
}

/// `kubectl exec [options] POD [--] CMD...`.
pub(crate) fn kubectl(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    let mut ignored = Peeled::default();
    let i = options(words, at + 1, KUBECTL_VALUE, &mut ignored, false);
    if value(words, i) != Some("exec") {
        return at;
    }
    // Options and the pod may come in any order before `--`.
    let mut k = i + 1;
    let mut pod: Option<&Word> = None;
    while let Some(w) = words.get(k) {
        let v = w.value.as_str();
        if v == "--" {
            k += 1;
            break;
        }
        if v.starts_with('-') {
            k += if KUBECTL_VALUE.contains(&v) { 2 } else { 1 };
            continue;
        }
        if pod.is_some() {
            // The old form without `--`: the command follows the pod.
            break;
        }
        pod = Some(w);
        k += 1;
    }
    let Some(pod) = pod.filter(|_| k < words.len()) else {
        return at;
    };
    let container = Container {
        kind: ContainerKind::KubernetesPod,
        name: pod.value.clone(),
    };
    boundary(p, "kubectl exec", container);
    p.opaque.push((
        OpaqueKind::Platform,
        format!("pod {}", pod.value),
        span(pod),
    ));
    k
}

/// `heroku run [options] CMD...`: the command runs in a one-off dyno with the app's config vars.
pub(crate) fn heroku(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    if !matches!(value(words, at + 1), Some("run" | "run:detached")) {
        return at;
    }
    let mut ignored = Peeled::default();
    let i = options(words, at + 2, HEROKU_VALUE, &mut ignored, false);
    if i >= words.len() {
        return at;
    }
    let app = words[at + 2..i]
        .windows(2)
        .find(|w| matches!(w[0].value.as_str(), "-a" | "--app"))
        .map_or_else(|| "heroku".to_string(), |w| w[1].value.clone());
    let container = Container {
        kind: ContainerKind::HerokuDyno,
        name: app.clone(),
    };
    boundary(p, "heroku run", container);
    p.opaque.push((
        OpaqueKind::Platform,
        format!("heroku app {app}"),
        span(&words[at]),
    ));
    remote_script(words, i, p)
}

/// `ssh [options] HOST CMD...`: the remote shell runs the words joined by spaces.
pub(crate) fn ssh(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    let mut ignored = Peeled::default();
    let host_at = options(words, at + 1, SSH_VALUE, &mut ignored, false);
    let Some(host) = words.get(host_at) else {
        return at;
    };
    if host_at + 1 >= words.len() {
        return at;
    }
    let container = Container {
        kind: ContainerKind::SshHost,
        name: host.value.clone(),
    };
    boundary(p, "ssh", container);
    p.opaque.push((
        OpaqueKind::Platform,
        format!("host {}", host.value),
        span(host),
    ));
    remote_script(words, host_at + 1, p)
}

/// The remaining words as one script (`ssh h 'a && b'`, `heroku run "x y"`),
/// or as a plain command when they are already split.
fn remote_script(words: &[Word], i: usize, p: &mut Peeled) -> usize {
    let rest = &words[i..];
    let needs_shell = rest.len() == 1 || rest.iter().any(|w| w.quoted);
    if needs_shell {
        p.script = Some(join(rest));
        return words.len();
    }
    i
}

/// Words joined by single spaces into one word, each byte keeping its origin.
pub(crate) fn join(words: &[Word]) -> Word {
    let mut out = Word {
        literal: true,
        quoted: true,
        ..Word::default()
    };
    for (n, w) in words.iter().enumerate() {
        if n > 0 {
            out.value.push(' ');
            out.idx.push(out.idx.last().copied().unwrap_or(w.start));
        }
        out.value.push_str(&w.value);
        out.idx.extend_from_slice(&w.idx);
        out.literal &= w.literal;
    }
    out.start = words.first().map_or(0, |w| w.start);
    out.end = words.last().map_or(0, |w| w.end);
    out
}

/// Secret managers that run a command with their secrets in its environment:
/// `doppler run [opts] -- CMD`, `op run [opts] -- CMD`, `chamber exec S... -- CMD`,
/// `aws-vault exec P -- CMD`, `infisical run [opts] -- CMD`, `sops exec-env F 'CMD'`,
/// `envchain NS CMD`, `teller run -- CMD`, `secrethub run -- CMD`.
pub(crate) fn secret_runner(words: &[Word], at: usize, p: &mut Peeled) -> usize {
    let tool = words[at]
        .value
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let verb = value(words, at + 1);
    let runs = match tool.as_str() {
        "doppler" | "op" | "infisical" | "teller" | "secrethub" => verb == Some("run"),
        "chamber" | "aws-vault" => verb == Some("exec"),
        "sops" => verb == Some("exec-env"),
        "envchain" => true,
        _ => false,
    };
    if !runs {
        return at;
    }
    let start = if tool == "envchain" { at + 1 } else { at + 2 };
    let inner = match words[start..].iter().position(|w| w.value == "--") {
        Some(k) => start + k + 1,
        // `sops exec-env FILE 'CMD'`, `envchain NS CMD`: one operand, then the command.
        None if matches!(tool.as_str(), "sops" | "envchain") => start + 1,
        None => return at,
    };
    if inner >= words.len() {
        return at;
    }
    p.wrappers.push(tool.clone());
    p.opaque
        .push((OpaqueKind::SecretRunner, tool.clone(), span(&words[at])));
    if tool == "sops" && words.len() == inner + 1 {
        p.script = Some(words[inner].clone());
        return words.len();
    }
    inner
}

fn span(w: &Word) -> (usize, usize) {
    (w.start, w.end)
}

/// Moves the environment that options of a launcher gave into `p`.
fn take_env(p: &mut Peeled, scratch: Peeled) {
    p.container_vars.extend(scratch.container_vars);
    p.passthrough.extend(scratch.passthrough);
    p.env_files.extend(scratch.env_files);
}

pub(crate) fn is_secret_runner(v: &str) -> bool {
    let base = v.rsplit('/').next().unwrap_or(v);
    matches!(
        base,
        "doppler"
            | "op"
            | "chamber"
            | "aws-vault"
            | "infisical"
            | "sops"
            | "envchain"
            | "teller"
            | "secrethub"
    )
}
