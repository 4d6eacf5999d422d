"""Runs the shell steps of a composite action as the GitHub runner would
(bash --noprofile --norc -eo pipefail, one GITHUB_OUTPUT file per step,
GITHUB_PATH applied to later steps, expressions in `env:`, `if:` and
`outputs:` evaluated). `uses:` steps are skipped and listed in the log.

Each step's stdout and stderr are read for workflow commands as the runner
reads them (workflow_commands.py beside this file); with RUNNER_COMMANDS set,
every command acted on is appended there as a JSON line {"step", "name",
"props", "data"}.

Usage: action_runner.py ACTION_YML INPUTS_JSON OUTPUTS_FILE
Context comes from the environment (GITHUB_*, RUNNER_*); a step whose id is
in SUBSTITUTE_<id> runs that script instead of its own.

A reusable workflow (`on: workflow_call`) runs one job the same way: name it
in RUNNER_JOB, and give the `matrix`, `needs` and `secrets` contexts as JSON
in RUNNER_CONTEXTS; the outputs written are the job's.
"""
import json, os, re, subprocess, sys, tempfile
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workflow_commands import commands  # noqa: E402

action = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
contexts = {"matrix": {}, "needs": {}, "secrets": {}}
if "jobs" in action:
    # PyYAML reads the key `on` as True.
    call = (action.get("on") or action.get(True) or {})["workflow_call"]
    job = action["jobs"][os.environ["RUNNER_JOB"]]
    contexts.update(json.loads(os.environ.get("RUNNER_CONTEXTS", "{}")))
    action = {"inputs": call.get("inputs", {}), "runs": {"steps": job["steps"]},
              "outputs": {k: {"value": v} for k, v in job.get("outputs", {}).items()}}
given = json.loads(sys.argv[2])
outputs_file = sys.argv[3]
unknown = set(given) - set(action.get("inputs", {}))
if unknown:
    sys.exit(f"runner: unknown inputs {sorted(unknown)}")
inputs = {}
env = dict(os.environ)
github = {
    "action_path": env["GITHUB_ACTION_PATH"],
    "action_ref": env.get("GITHUB_ACTION_REF", ""),
    "action_repository": env.get("GITHUB_ACTION_REPOSITORY", ""),
    # Like the real runner, the token is a context value, not in the env.
    "token": env.pop("E2E_GITHUB_TOKEN", "") or env.get("GITHUB_TOKEN", ""),
    "workspace": env["GITHUB_WORKSPACE"],
    "event_name": env["GITHUB_EVENT_NAME"],
    "base_ref": env.get("GITHUB_BASE_REF", ""),
    "head_ref": env.get("GITHUB_HEAD_REF", ""),
}
runner = {
    "os": env.get("RUNNER_OS", "Linux"),
    "arch": env.get("RUNNER_ARCH", "X64"),
    "temp": env["RUNNER_TEMP"],
    "tool_cache": env["RUNNER_TOOL_CACHE"],
}
steps = {}

def value(expr):
    expr = expr.strip()
    m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
    if m:
        return steps.get(m.group(1), {}).get(m.group(2), "")
    m = re.fullmatch(r"needs\.([\w-]+)\.outputs\.([\w-]+)", expr)
    if m:
        return str(contexts["needs"].get(m.group(1), {}).get("outputs", {}).get(m.group(2), ""))
    m = re.fullmatch(r"needs\.([\w-]+)\.result", expr)
    if m:
        return str(contexts["needs"].get(m.group(1), {}).get("result", ""))
    m = re.fullmatch(r"(matrix|secrets)\.([\w-]+)", expr)
    if m:
        return str(contexts[m.group(1)].get(m.group(2), ""))
    m = re.fullmatch(r"(inputs|github|runner)\.([\w-]+)", expr)
    if m:
        ctx = {"inputs": inputs, "github": github, "runner": runner}[m.group(1)]
        if m.group(2) not in ctx:
            if m.group(1) == "github":
                # Any other github.* value: the GITHUB_* variable, as on a runner.
                return env.get("GITHUB_" + m.group(2).upper(), "")
            raise SystemExit(f"runner: unknown {expr}")
        return ctx[m.group(2)]
    raise SystemExit(f"runner: unsupported expression {expr!r}")

def substitute(text):
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: value(m.group(1)), str(text))

# Defaults may be expressions (`${{ github.token }}`), evaluated like the runner does.
def text(v):
    """An input as an expression renders it: booleans lower-case."""
    return str(v).lower() if isinstance(v, bool) else str(v)

inputs.update({k: text(given[k]) if k in given else substitute(text(v.get("default", "")))
               for k, v in action.get("inputs", {}).items()})

def condition(cond):
    cond = cond.strip()
    if cond.startswith("${{") and cond.endswith("}}"):
        cond = cond[3:-2].strip()
    m = re.fullmatch(r"(\S+)\s*(==|!=)\s*'([^']*)'", cond)
    if not m:
        raise SystemExit(f"runner: unsupported if: {cond!r}")
    equal = value(m.group(1)) == m.group(3)
    return equal if m.group(2) == "==" else not equal

def read_file_commands(path):
    """key=value and key<<DELIM ... DELIM lines, as GITHUB_OUTPUT and GITHUB_ENV hold."""
    out, lines = {}, open(path, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            body = []
            i += 1
            while lines[i] != delim:
                body.append(lines[i])
                i += 1
            out[key] = "\n".join(body)
        elif "=" in line:
            key, val = line.split("=", 1)
            out[key] = val
        elif line:
            raise SystemExit(f"runner: bad line in {path}: {line!r}")
        i += 1
    return out

code = 0
for n, step in enumerate(action["runs"]["steps"]):
    sid = step.get("id", f"__{n}")
    if "uses" in step:
        print(f"runner: skipping {sid} (uses {step['uses']})", file=sys.stderr)
        continue
    if "if" in step and not condition(step["if"]):
        print(f"runner: skipping {sid} (if: {step['if']})", file=sys.stderr)
        continue
    if step.get("shell") != "bash":
        raise SystemExit(f"runner: step {sid} does not use bash")
    script = env.get(f"SUBSTITUTE_{sid}", step["run"])
    if "${{" in script:
        raise SystemExit(f"runner: step {sid} has an expression in run:")
    files = {}
    for var in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV"):
        fd, files[var] = tempfile.mkstemp(dir=runner["temp"], prefix=var.lower())
        os.close(fd)
    fd, script_path = tempfile.mkstemp(dir=runner["temp"], suffix=".sh")
    with os.fdopen(fd, "w") as f:
        f.write(script)
    step_env = dict(env)
    step_env.update(files)
    step_env.update({k: substitute(v) for k, v in step.get("env", {}).items()})
    cwd = step.get("working-directory", github["workspace"])
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", script_path],
        env=step_env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    code = done.returncode
    sys.stdout.buffer.write(done.stdout)
    sys.stdout.flush()
    sys.stderr.buffer.write(done.stderr)
    sys.stderr.flush()
    if env.get("RUNNER_COMMANDS"):
        with open(env["RUNNER_COMMANDS"], "a", encoding="utf-8") as log:
            # Both streams through one command state (stop-commands lasts
            # until its token, whichever stream that comes on).
            text = (done.stdout + b"\n" + done.stderr).decode("utf-8", errors="replace")
            for c in commands(text):
                log.write(json.dumps(dict(step=sid, **c), ensure_ascii=True) + "\n")
    steps[sid] = read_file_commands(files["GITHUB_OUTPUT"])
    env.update(read_file_commands(files["GITHUB_ENV"]))
    for p in open(files["GITHUB_PATH"], encoding="utf-8").read().splitlines():
        if p:
            env["PATH"] = p + os.pathsep + env["PATH"]
    if code != 0:
        print(f"runner: step {sid} exited with {code}", file=sys.stderr)
        break

with open(outputs_file, "w", encoding="utf-8") as f:
    for name, out in action.get("outputs", {}).items():
        f.write(f"{name}={substitute(out['value'])}\n")
sys.exit(code)
