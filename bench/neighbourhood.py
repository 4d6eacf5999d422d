"""A small git repository holding the same given files in the same
surroundings as a large one: the pre-commit shape measured in both shows
what the repository's size alone costs.

    python3 bench/neighbourhood.py BIG OUT N FILE...

Copies (hard links) from BIG into OUT, keeping their paths:
  - each FILE (relative to BIG);
  - every file directly in each folder from BIG's root down to each FILE's
    folder, ignored ones included (the hook lists those folders);
  - everything under the CI folders of those folders (.github, .circleci,
    .buildkite, .gitlab);
  - one tracked file under each other folder in those folders, so that each
    listed folder holds the same entries (the hook lists them, entering
    none);
then fills up to N files with other tracked files of BIG, spread evenly
over its sorted file list (a hook never lists their folders). What the
given files' commands name elsewhere is not copied, so the small copy has
at most the large one's work: its time is a floor, not a flattering match.
Prints the number of files in the neighbourhood and in OUT.
"""
import bisect
import os
import subprocess
import sys

CI_DIRS = (".github", ".circleci", ".buildkite", ".gitlab")


def git(cwd, *args):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(
        ["git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", *args],
        cwd=cwd, env=env, check=True, capture_output=True,
    ).stdout


def main():
    big, out, n, given = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    keep = set(given)
    folders = set()
    for f in given:
        parts = f.split("/")[:-1]
        for i in range(len(parts) + 1):
            folders.add("/".join(parts[:i]))
    for d in sorted(folders):
        full = os.path.join(big, d)
        for name in sorted(os.listdir(full)):
            rel = f"{d}/{name}" if d else name
            if os.path.isfile(os.path.join(full, name)) and not os.path.islink(os.path.join(full, name)):
                keep.add(rel)
            elif name in CI_DIRS and os.path.isdir(os.path.join(full, name)):
                for root, _, files in os.walk(os.path.join(full, name)):
                    for x in files:
                        keep.add(os.path.relpath(os.path.join(root, x), big))
    tracked = sorted(p for p in git(big, "ls-files", "-z").decode().split("\0") if p)
    for d in sorted(folders):
        for e in sorted(os.scandir(os.path.join(big, d)), key=lambda e: e.name):
            if not e.is_dir(follow_symlinks=False) or e.name == ".git":
                continue
            prefix = f"{d}/{e.name}/" if d else f"{e.name}/"
            i = bisect.bisect_left(tracked, prefix)
            if i < len(tracked) and tracked[i].startswith(prefix):
                keep.add(tracked[i])
    near = len(keep)
    others = [p for p in tracked if p not in keep]
    want = max(0, n - len(keep))
    if want and others:
        step = len(others) / want
        keep.update(others[int(i * step)] for i in range(min(want, len(others))))
    os.makedirs(out)
    for rel in sorted(keep):
        dst = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        os.link(os.path.join(big, rel), dst)
    git(out, "init", "-q")
    git(out, "add", "-A")
    print(near, len(keep))


main()
