#!/usr/bin/env python3
"""Generates a deterministic benchmark tree: a JavaScript/TypeScript monorepo
of N files (JS/TS, JSON, YAML, Markdown) with a few planted Prisma 1 snippets.

usage: gen.py OUT_DIR N_FILES
"""
import json
import os
import random
import sys

WORDS = ("user order invoice cart session token account profile product price total "
         "render state props effect memo query mutation resolver schema field value "
         "request response handler router middleware config logger cache stream buffer").split()

PLANTED = [
    ("prisma.yml", "endpoint: https://eu1.prisma.sh/acme/shop/dev\ndatamodel: datamodel.prisma\n"),
    (".env", "PRISMA_ENDPOINT=https://us1.prisma.sh/acme/shop/prod\nPRISMA_MANAGEMENT_API_SECRET=${SECRET}\n"),
    ("client.ts", "export const endpoint = 'https://eu1.prisma.sh/acme/shop/dev'\n"),
    ("docker-compose.yml", "services:\n  prisma:\n    image: prismagraphql/prisma:1.34\n"),
    ("package.json", json.dumps({"name": "legacy", "scripts": {"deploy": "prisma1 deploy"},
                                 "dependencies": {"prisma-binding": "^2.3.16"}}, indent=2) + "\n"),
    ("README.md", "Log in at https://app.prisma.io to see the services.\n"),
]


def ident(rng):
    return rng.choice(WORDS) + rng.choice(WORDS).capitalize()


def js(rng, lines):
    out = []
    for _ in range(lines):
        k = rng.random()
        if k < 0.3:
            out.append(f"const {ident(rng)} = {rng.randint(0, 10**6)};")
        elif k < 0.6:
            out.append(f"export function {ident(rng)}({ident(rng)}, {ident(rng)}) {{ return {ident(rng)}.{rng.choice(WORDS)}; }}")
        elif k < 0.8:
            out.append(f"// {' '.join(rng.choice(WORDS) for _ in range(10))}")
        else:
            out.append(f"import {{ {ident(rng)} }} from './{rng.choice(WORDS)}/{rng.choice(WORDS)}';")
    return "\n".join(out) + "\n"


def md(rng, lines):
    return "\n".join("# " + " ".join(rng.choice(WORDS) for _ in range(4)) if i % 12 == 0
                     else " ".join(rng.choice(WORDS) for _ in range(14)) for i in range(lines)) + "\n"


def yml(rng, lines):
    return "\n".join(f"{rng.choice(WORDS)}_{i}: {ident(rng)}" for i in range(lines)) + "\n"


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(1)
    planted_every = max(n // (len(PLANTED) * 4), 1)
    for i in range(n):
        pkg = f"packages/pkg{i // 400:03d}/src/{rng.choice(WORDS)}"
        os.makedirs(os.path.join(out, pkg), exist_ok=True)
        if i % planted_every == 0:
            name, text = PLANTED[(i // planted_every) % len(PLANTED)]
            path = os.path.join(out, pkg, name)
            if os.path.exists(path):
                path = os.path.join(out, pkg, f"{i}-{name}")
        else:
            kind = rng.random()
            lines = rng.randint(20, 160)
            if kind < 0.55:
                path, text = os.path.join(out, pkg, f"f{i}.{rng.choice(['js', 'ts', 'tsx'])}"), js(rng, lines)
            elif kind < 0.7:
                path, text = os.path.join(out, pkg, f"f{i}.json"), json.dumps({ident(rng): rng.choice(WORDS) for _ in range(lines // 4)}, indent=2) + "\n"
            elif kind < 0.85:
                path, text = os.path.join(out, pkg, f"f{i}.yml"), yml(rng, lines)
            else:
                path, text = os.path.join(out, pkg, f"f{i}.md"), md(rng, lines)
        with open(path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
