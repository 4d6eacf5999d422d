#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ from
the test fixtures and the rule examples (generated, never committed)."""
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# Same order as fuzz_targets/common.rs NAMES.
NAMES = re.findall(r'^\s*"([^"]+)",$', open(os.path.join(HERE, "fuzz_targets/common.rs")).read(), re.M)


def selector(path):
    base = os.path.basename(path)
    for i, n in enumerate(NAMES):
        if path.endswith(n) or base == os.path.basename(n):
            return i
    if base.endswith((".yml", ".yaml")):
        return NAMES.index(".github/workflows/ci.yml") if ".github" in path else NAMES.index("k8s/deploy.yaml")
    if base.startswith(".env"):
        return NAMES.index(".env")
    if base.endswith(".sh"):
        return NAMES.index("scripts/deploy.sh")
    if base.endswith(".md"):
        return NAMES.index("README.md")
    return NAMES.index("src/index.js")


def parser_selector(path):
    base = os.path.basename(path)
    if base == "package.json":
        return 1
    if base.startswith(".env"):
        return 2
    if base == "prisma.yml":
        return 3
    if base == ".prisma1-lint.yml":
        return 4
    if base.endswith((".yml", ".yaml")):
        return 0
    return 7


def write(target, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def samples():
    """(path, bytes) of every fixture file and every rule example."""
    for top, _, files in os.walk(os.path.join(ROOT, "tests", "fixtures")):
        for f in files:
            p = os.path.join(top, f)
            if os.path.getsize(p) <= 64 * 1024:
                yield os.path.relpath(p, ROOT), open(p, "rb").read()
    try:
        import yaml
    except ImportError:
        yaml = None
    rules = os.path.join(ROOT, "rules")
    for f in sorted(os.listdir(rules)):
        if not f.endswith(".yml"):
            continue
        text = open(os.path.join(rules, f), "rb").read()
        yield "rules/" + f, text
        if yaml is None:
            continue
        doc = yaml.safe_load(text) or {}
        for group in (doc.get("examples") or {}).values():
            for ex in group or []:
                yield ex.get("file", "x"), str(ex.get("text", "")).encode()
                for w in ex.get("with") or []:
                    yield w.get("file", "x"), str(w.get("text", "")).encode()


# Configs as people write them, and the hostile shapes the config and rule
# loaders must refuse quickly (deep brackets, sizes past 2^64); the fuzzer
# grows them up to 1 MiB from here.
CONFIGS = [
    b"select: [cloud-endpoint, missing-management-secret]\nignore: [prisma1-server-image]\n"
    b"severity:\n  prisma1-cli: note\nexclude: [\"docs/**\", \"**/*.test.ts\"]\n"
    b"rules-dirs: [tools/prisma1-rules]\nfail-on: error\ndocumented-commands: warning\n"
    b"max-file-size: 8MiB\nsuppress:\n  - rule: prisma1-dependency\n    paths: [package.json]\n"
    b"    reason: removed in the upgrade PR\n",
    b"max-file-size: 4194304\n",
    b"max-file-size: 99999999999999999999GiB\n",
    b"max-file-size: 99999999999999999999999\n",
    b"select: " + b"[" * 300 + b"]" * 300 + b"\n",
    b"suppress: " + b"{a: " * 300 + b"}" * 300 + b"\n",
    b"a: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",
    # Large from the start: libFuzzer grows inputs slowly otherwise.
    b"select: " + b"[" * 200000 + b"]" * 200000 + b"\n",
    b"exclude:\n" + b"  - \"a/**\"\n" * 60000,
]
HOSTILE_PATTERNS = [
    b"(a{0,100}){0,100}",
    b"(a)" * 400,
    b"\\w{0,50}",
    b"(" * 300,
    b"|".join(b"w%d" % i for i in range(40000)),
]


def main():
    n = 0
    for c in CONFIGS:
        write("config", c)
    for path, data in samples():
        n += 1
        if path.startswith("rules/"):
            write("parsers", bytes([5]) + data)
            write("rules", data)
            for p in HOSTILE_PATTERNS:
                hostile = b"pattern: '" + p + b"'"
                write("rules", re.sub(rb"pattern: .*", lambda _: hostile, data, count=1))
            continue
        s = selector(path)
        write("extract", bytes([s]) + data)
        write("pipeline", bytes([s]) + data)
        write("parsers", bytes([parser_selector(path)]) + data)
    write("parsers", bytes([6]) + b"--- a/x\n+++ b/prisma.yml\n@@ -1,2 +1,3 @@\n a\n+b\n c\n")
    print(f"{n} seeds", file=sys.stderr)


main()
