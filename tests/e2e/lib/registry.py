"""A package registry on loopback for the install tests: serves, read-only,
what the real registries would after a release, so that `npx prisma1-lint`,
`npm i -D prisma1-lint` and `pipx install prisma1-lint` run exactly as
written, against the packages built from this checkout.

usage: registry.py ROOT PORT_FILE [FILE...]
  *.tgz   npm tarballs: ROOT/npm/<name> (the packument) and ROOT/npm/-/<file>
  *.whl   wheels: ROOT/simple/<project>/<file> (a PEP 503 simple index)
  DEST=F  any file F, served as ROOT/DEST (release assets: v0.1.0/<asset>)
Then serves ROOT on 127.0.0.1 (a free port, written to PORT_FILE) until killed.
Point npm at http://127.0.0.1:PORT/npm/ and pip at http://127.0.0.1:PORT/simple/.
"""
import base64
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import sys
import tarfile

root, port_file, files = sys.argv[1], sys.argv[2], sys.argv[3:]
os.makedirs(os.path.join(root, "npm", "-"), exist_ok=True)
os.makedirs(os.path.join(root, "simple"), exist_ok=True)


def add_npm(tgz):
    with tarfile.open(tgz) as t:
        manifest = json.load(t.extractfile("package/package.json"))
    name, version = manifest["name"], manifest["version"]
    data = open(tgz, "rb").read()
    base = os.path.basename(tgz)
    shutil.copyfile(tgz, os.path.join(root, "npm", "-", base))
    manifest["dist"] = {
        "tarball": f"{{REGISTRY}}-/{base}",
        "shasum": hashlib.sha1(data).hexdigest(),
        "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(),
    }
    doc = {"name": name, "dist-tags": {"latest": version}, "versions": {version: manifest}}
    # npm asks for /@scope%2fname, which the server unquotes to @scope/name.
    path = os.path.join(root, "npm", *name.split("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)


def add_wheel(whl):
    base = os.path.basename(whl)
    project = re.sub(r"[-_.]+", "-", base.split("-")[0]).lower()
    folder = os.path.join(root, "simple", project)
    os.makedirs(folder, exist_ok=True)
    shutil.copyfile(whl, os.path.join(folder, base))


for f in files:
    if "=" in f:
        dest, src = f.split("=", 1)
        os.makedirs(os.path.dirname(os.path.join(root, dest)), exist_ok=True)
        shutil.copyfile(src, os.path.join(root, dest))
    elif f.endswith(".tgz"):
        add_npm(f)
    elif f.endswith(".whl"):
        add_wheel(f)
    else:
        sys.exit(f"registry: what is {f}?")


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):
        # Packuments carry tarball URLs relative to wherever we listen.
        path = self.translate_path(self.path)
        rel = os.path.relpath(path, os.path.join(root, "npm"))
        if os.path.isfile(path) and not rel.startswith("..") and not rel.startswith("-"):
            body = open(path, encoding="utf-8").read().replace(
                "{REGISTRY}", f"http://127.0.0.1:{self.server.server_port}/npm/"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return __import__("io").BytesIO(body)
        return super().send_head()


server = http.server.ThreadingHTTPServer(
    ("127.0.0.1", 0), functools.partial(Handler, directory=root)
)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_port))
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
