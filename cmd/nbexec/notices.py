#!/usr/bin/env python3
"""Writes THIRD_PARTY_NOTICES.md: what the kit ships or downloads, and under which licences,
generated from the lock files (`make notices`; run with the project venv's python).

    inventory(root) -> {section: [(name, version, pinned in)]}
        the lock files' entries, read with no network and no venv: what the notices must list
        (test_release.py checks the committed file against it, so a dependency added to a lock
        file and missing from the notices fails `make test`)
    notices(root, classifier) -> the text of THIRD_PARTY_NOTICES.md

Where each licence comes from:

- Go modules: every module go.mod requires (`go mod edit -json`); `go mod download -json`
  gives each one's folder in the module cache (downloading it if it is not there), whose licence
  files (LICENSE*, COPYING*, and the files under a licenses/ or THIRD_PARTY_LICENSES/ folder) are
  classified by Google's licenseclassifier (its identify_license command, which `make notices`
  builds into bin/ at a pinned version). The Go toolchain the Makefile's GOTOOLCHAIN fetches:
  its LICENSE, classified the same way.
- Python packages pinned in cmd/nbexec/requirements.txt, hub/requirements.txt,
  cmd/nbexec/requirements-cff.txt and gankit/backend/xla-*.txt: the installed distribution's
  metadata (importlib.metadata, in .venv or .venv/cff): License-Expression, else its licence
  files (classified as above), else its License field or trove classifiers. A pin that is not
  installed (the CUDA wheels before `make setup-cuda`) is read from pip's install report
  (`pip install --dry-run --report`, which fetches the metadata, not the wheels). The packages
  pip installs with the pinned ones, unpinned, are listed as the venv holds them.
- npm packages: hub/package-lock.json, each with the licence npm recorded there, checked against
  the package.json installed under .venv/hub/proxy/node_modules when it is there.
- MathJax, which the export copies into the pages from jupyter-server-mathjax: its LICENSE.
- Debian packages that the Makefile installs with apt-get: their names, from the Makefile.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = "THIRD_PARTY_NOTICES.md"

# The lock files of each ecosystem, relative to the repository root.
GO_MOD = "go.mod"
MAKEFILE = "Makefile"
PY_LOCKS = ["cmd/nbexec/requirements.txt", "hub/requirements.txt", "cmd/nbexec/requirements-cff.txt",
            "gankit/backend/xla-cpu.txt", "gankit/backend/xla-cuda.txt"]
NPM_LOCK = "hub/package-lock.json"
# Where each Python lock file's packages are installed (relative to the root), when they are.
PY_ENVS = {"cmd/nbexec/requirements-cff.txt": ".venv/cff"}
PY_DEFAULT_ENV = ".venv"
NODE_MODULES = ".venv/hub/proxy/node_modules"

# The sections of the notices, in order; inventory() and the tables use these names.
GO, TOOLCHAIN, PYTHON, NPM, MATHJAX, DEBIAN = ("Go modules", "Go toolchain", "Python packages",
                                               "npm packages", "MathJax", "Debian packages")
LICENCE_FILE = re.compile(r"(?i)^(licen[cs]e|copying|unlicense)([-._ ].*)?$")
LICENCE_DIRS = {"licenses", "licences", "third_party_licenses"}


def canonical(name):
    """A Python distribution's name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


# ---------------------------------------------------------------- the lock files

def go_requires(root):
    """[(module path, version)] that go.mod requires, as the go command reads it."""
    out = subprocess.run(["go", "mod", "edit", "-json"], cwd=root, check=True, capture_output=True, text=True)
    return [(r["Path"], r["Version"]) for r in json.loads(out.stdout).get("Require") or []]


def go_toolchain(root):
    """The toolchain the Makefile has the go command fetch (GANKIT_GOTOOLCHAIN), e.g. go1.27.3."""
    m = re.search(r"^GANKIT_GOTOOLCHAIN \?= (go\S+)$", (root / MAKEFILE).read_text(), re.MULTILINE)
    if not m:
        raise SystemExit(f"{MAKEFILE}: no 'GANKIT_GOTOOLCHAIN ?= goX.Y.Z' line")
    return m.group(1)


PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")


def python_pins(root):
    """[(name, version, lock file)] of every name==version line of the Python lock files."""
    pins = []
    for lock in PY_LOCKS:
        for line in (root / lock).read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = PIN.match(line)
            if not m:
                raise SystemExit(f"{lock}: not a pinned requirement (name==version): {line!r}")
            pins.append((m.group(1), m.group(2), lock))
    return pins


def npm_packages(root):
    """[(name, version, licence)] of hub/package-lock.json's installed packages."""
    lock = json.loads((root / NPM_LOCK).read_text())
    out = []
    for path, p in (lock.get("packages") or {}).items():
        if not path:  # the root project itself
            continue
        name = p.get("name") or path.split("node_modules/")[-1]
        out.append((name, p["version"], p.get("license"), path))
    return out


APT = re.compile(r"apt-get install\b[^;|&]*?--no-install-recommends((?:\s+[a-z0-9][a-z0-9.+-]+)+)")


def debian_packages(root):
    """[(package, Makefile target)] of the Makefile's `apt-get install` lines, and the package
    `make data` downloads with `apt-get download`."""
    out, target = [], None
    for line in (root / MAKEFILE).read_text().splitlines():
        t = re.match(r"^([A-Za-z][\w.-]*):(?!=)", line)
        if t:
            target = t.group(1)
        for m in APT.finditer(line):
            out += [(name, target) for name in m.group(1).split()]
        for m in re.finditer(r"apt-get download(?: -qq)? ([a-z0-9][a-z0-9.+-]+)", line):
            out.append((m.group(1), target))
    seen, unique = set(), []
    for name, t in out:
        if name not in seen:
            seen.add(name)
            unique.append((name, t))
    return unique


def inventory(root=ROOT):
    """{section: sorted [(name, version)]}: what the lock files name, which the notices must list."""
    inv = {
        GO: sorted(go_requires(root)),
        TOOLCHAIN: [("golang.org/toolchain", go_toolchain(root))],
        PYTHON: sorted((name, version) for name, version, _ in python_pins(root)),
        NPM: sorted((name, version) for name, version, _, _ in npm_packages(root)),
        DEBIAN: sorted((name, "unpinned") for name, _ in debian_packages(root)),
    }
    return inv


def generator_digest():
    """SHA-256 of this file: a notices file written by another version of it is stale."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


# ---------------------------------------------------------------- licences

class Classifier:
    """Google's licenseclassifier (v2's tools/identify_license): the SPDX identifiers whose text a
    file contains. One run for all the files, cached."""

    def __init__(self, exe):
        self.exe = str(exe)
        self.cache = {}

    def classify(self, paths):
        todo = sorted({str(p) for p in paths} - set(self.cache))
        if todo:
            with tempfile.TemporaryDirectory() as tmp:
                report = Path(tmp) / "report.json"
                run = subprocess.run([self.exe, "-json", str(report), *todo], capture_output=True, text=True)
                # It exits 1 without a report when it recognises nothing in any of the files.
                if run.returncode != 0 and "Couldn't classify" not in run.stderr:
                    raise SystemExit(f"{self.exe} failed:\n{run.stderr}")
                found = {}
                for f in (json.loads(report.read_text()) if report.exists() else None) or []:
                    names = {c["Name"] for c in f.get("Classifications") or [] if c["Name"] != "Copyright"}
                    found[os.path.realpath(f["Filepath"])] = names
            for p in todo:
                self.cache[p] = sorted(found.get(os.path.realpath(p), set()))
        return {str(p): self.cache[str(p)] for p in paths}


def licence_files(folder):
    """The licence files of a module or package folder: LICENSE*, COPYING*... at its top, and
    the files of its licenses/ or THIRD_PARTY_LICENSES/ folder."""
    folder = Path(folder)
    files = []
    for p in sorted(folder.iterdir()):
        if p.is_file() and LICENCE_FILE.match(p.name):
            files.append(p)
        elif p.is_dir() and p.name.lower() in LICENCE_DIRS:
            files += sorted(q for q in p.rglob("*") if q.is_file())
    return files


def describe_files(folder, files, classes):
    """("SPDX ids found", "each file and what it holds") for a folder's licence files."""
    ids = sorted({i for f in files for i in classes[str(f)]})
    parts = [f"`{f.relative_to(folder)}`: " + (", ".join(classes[str(f)]) or "not recognised") for f in files]
    return ", ".join(ids), "; ".join(parts)


def go_modules(root, classifier):
    """Rows (module, version, licences, files) for every module go.mod requires."""
    reqs = go_requires(root)
    out = subprocess.run(["go", "mod", "download", "-json", *[f"{p}@{v}" for p, v in reqs]], cwd=root,
                         capture_output=True, text=True)
    dirs, dec, text, pos = {}, json.JSONDecoder(), out.stdout, 0
    while (start := re.compile(r"\S").search(text, pos)) is not None:  # one JSON object per module
        obj, pos = dec.raw_decode(text, start.start())
        if obj.get("Error"):
            raise SystemExit(f"go mod download {obj['Path']}@{obj['Version']}: {obj['Error']}")
        dirs[(obj["Path"], obj["Version"])] = Path(obj["Dir"])
    if out.returncode != 0:
        raise SystemExit(f"go mod download failed:\n{out.stderr}")
    files = {k: licence_files(d) for k, d in dirs.items()}
    classes = classifier.classify([f for fs in files.values() for f in fs])
    rows = []
    for path, version in sorted(reqs):
        d = dirs[(path, version)]
        ids, desc = describe_files(d, files[(path, version)], classes)
        if not ids:
            raise SystemExit(f"{path}@{version}: no licence recognised in {d} ({desc or 'no licence file'}); "
                             "look at it and say what it is")
        rows.append((path, version, ids, desc))
    return rows


def toolchain_row(root, classifier):
    version = go_toolchain(root)
    out = subprocess.run(["go", "env", "GOROOT"], cwd=root, check=True, capture_output=True, text=True,
                         env=dict(os.environ, GOTOOLCHAIN=version))
    goroot = Path(out.stdout.strip())
    files = licence_files(goroot)
    ids, desc = describe_files(goroot, files, classifier.classify(files))
    if not ids:
        raise SystemExit(f"{goroot}: no licence recognised ({desc or 'no licence file'})")
    return ("golang.org/toolchain", version, ids, desc)


def _env_distributions(env_dir):
    """{canonical name: importlib.metadata.Distribution} installed in a venv's site-packages."""
    import importlib.metadata as md
    paths = sorted(Path(env_dir).glob("lib/python*/site-packages"))
    return {canonical(d.metadata["Name"]): d for d in md.distributions(path=[str(p) for p in paths])}


def _meta_licence(meta, files_ids):
    """(licence, where it was read) from a distribution's metadata and its licence files' SPDX ids."""
    expr = meta.get("License-Expression") or meta.get("license_expression")
    if expr:
        return expr, "License-Expression"
    if files_ids:
        return files_ids, "licence file"
    field = (meta.get("License") or meta.get("license") or "").strip()
    if field and "\n" not in field and len(field) <= 80:
        return field, "License field"
    classifiers = meta.get_all("Classifier") if hasattr(meta, "get_all") else meta.get("classifier")
    lic = [c.split(" :: ")[-1] for c in classifiers or [] if c.startswith("License ::")]
    if lic:
        return ", ".join(lic), "classifier"
    return "not stated in its metadata", "metadata"


def _dist_licence_files(dist):
    """The licence files in an installed distribution's .dist-info folder."""
    files = []
    for f in dist.files or []:
        parts = Path(str(f)).parts
        if parts and parts[0].endswith(".dist-info") and (LICENCE_FILE.match(f.name) or "licenses" in parts[1:-1]):
            files.append(Path(f.locate()))
    return files


def _installed_licence(dist, classifier):
    files = _dist_licence_files(dist)
    classes = classifier.classify(files) if files else {}
    ids = ", ".join(sorted({i for f in files for i in classes[str(f)]}))
    return _meta_licence(dist.metadata, ids)


def _pip_report(root, lock):
    """{canonical name: metadata dict} of a lock file's packages, from pip's install report
    (metadata only: no wheel is downloaded where the index serves it, as PyPI does)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(root / PY_DEFAULT_ENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                        "--dry-run", "--no-deps", "--ignore-installed", "--report", str(report), "-r", str(root / lock)],
                       check=True, cwd=root)
        return {canonical(i["metadata"]["name"]): i["metadata"] for i in json.loads(report.read_text())["install"]}


class _Meta(dict):
    def get_all(self, key):
        return self.get(key.lower())


def python_rows(root, classifier):
    """Rows (name, version, licence, where read, lock file) of the pinned packages, and rows
    (name, version, licence, where read, required by) of the packages installed with them."""
    envs, reports, rows = {}, {}, []
    for env in sorted({PY_DEFAULT_ENV, *PY_ENVS.values()}):  # one classifier run for every licence file
        envs[env] = _env_distributions(root / env)
        classifier.classify([f for d in envs[env].values() for f in _dist_licence_files(d)])
    for name, version, lock in python_pins(root):
        env = PY_ENVS.get(lock, PY_DEFAULT_ENV)
        if env not in envs:
            envs[env] = _env_distributions(root / env)
        dist = envs[env].get(canonical(name))
        if dist is not None and dist.version == version:
            lic, how = _installed_licence(dist, classifier)
        else:
            if lock not in reports:
                reports[lock] = _pip_report(root, lock)
            meta = reports[lock][canonical(name)]
            lic, how = _meta_licence(_Meta({k.lower(): v for k, v in meta.items()}), "")
            how += " (pip report)"
        rows.append((name, version, lic, how, lock))
    return rows, _python_closure(root, envs, classifier, {canonical(n) for n, _, _ in python_pins(root)})


def _python_closure(root, envs, classifier, pinned):
    """The distributions the pinned ones of .venv require, recursively, that are not pinned."""
    from packaging.requirements import Requirement
    dists = envs.get(PY_DEFAULT_ENV) or _env_distributions(root / PY_DEFAULT_ENV)
    by, todo, seen = {}, sorted(p for p in pinned if p in dists), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in dists[name].requires or []:
            req = Requirement(spec)
            if req.marker and not req.marker.evaluate({"extra": ""}):
                continue
            dep = canonical(req.name)
            if dep in dists and dep not in pinned:
                by.setdefault(dep, set()).add(dists[name].metadata["Name"])
                todo.append(dep)
    rows = []
    for dep in sorted(by):
        d = dists[dep]
        lic, how = _installed_licence(d, classifier)
        rows.append((d.metadata["Name"], d.version, lic, how, ", ".join(sorted(by[dep], key=str.lower))))
    return rows


def npm_rows(root):
    rows = []
    for name, version, lic, path in sorted(npm_packages(root)):
        installed = root / ".venv" / "hub" / "proxy" / path / "package.json"
        if installed.is_file():
            pkg = json.loads(installed.read_text())
            if (pkg.get("version"), pkg.get("license")) != (version, lic):
                raise SystemExit(f"{installed}: {pkg.get('version')} {pkg.get('license')}, but {NPM_LOCK} "
                                 f"says {version} {lic}: run `make hub-setup`")
        rows.append((name, version, lic or "not stated in the lock file"))
    return rows


def mathjax_row(root, classifier):
    """(version, licence, jupyter-server-mathjax's version) of the MathJax the export copies."""
    dist = _env_distributions(root / PY_DEFAULT_ENV)[canonical("jupyter-server-mathjax")]
    static = Path(dist.locate_file("jupyter_server_mathjax/static"))
    m = re.search(r'MathJax\.version="([^"]+)"', (static / "MathJax.js").read_text(errors="replace"))
    lic = static / "LICENSE"
    ids = classifier.classify([lic])[str(lic)]
    if not m or not ids:
        raise SystemExit(f"{static}: no MathJax version or no licence recognised")
    return m.group(1), ", ".join(ids), dist.version


# ---------------------------------------------------------------- the file

def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


HEADER = """# Third-party notices

What the kit ships or downloads, and under which licences. **Generated** by
`cmd/nbexec/notices.py` (`make notices`) from the lock files: `go.mod`, the `Makefile`'s Go
toolchain and `apt-get` lines, `cmd/nbexec/requirements.txt`, `cmd/nbexec/requirements-cff.txt`,
`hub/requirements.txt`, `hub/package-lock.json` and `gankit/backend/xla-*.txt`. Do not edit it by
hand: `make test` fails when a dependency of a lock file is missing here or when this file was
written by another version of the generator (`cmd/nbexec/test_release.py`).

The licence of a Go module is what Google's licenseclassifier (v2.0.0, `identify_license`)
recognises in its licence files, listed beside it; a module with several licence files says in
them how they combine (freetype: the choice of one of FTL and GPL-2.0-or-later; gonum: BSD-3-Clause,
with code derived from the others under `THIRD_PARTY_LICENSES/`). The licence of a Python package is
its metadata's License-Expression, else what the classifier recognises in the licence files of its
installed distribution, else its metadata's License field or trove classifiers; of an npm package,
what `hub/package-lock.json` records. Each package's own files carry its full terms and copyright
notices.

The kit itself: the code under Apache-2.0 (`LICENSE`), the lesson text and figures under CC BY-SA
4.0; the data sets in `data/` under their own terms (`data/README.md`: MNIST, from Yann LeCun,
Corinna Cortes and Christopher J.C. Burges; Fashion-MNIST, from Zalando Research, MIT).

<!-- generator sha256: {digest} -->
"""


def notices(root, classifier):
    go = go_modules(root, classifier)
    tool = toolchain_row(root, classifier)
    pinned, installed_with = python_rows(root, classifier)
    npm = npm_rows(root)
    mj_version, mj_licence, sm_version = mathjax_row(root, classifier)
    debian = debian_packages(root)
    parts = [HEADER.format(digest=generator_digest())]
    parts.append(f"## {GO}\n\nEvery module `go.mod` requires (the go command downloads those a build needs, "
                 "into its module cache; `bin/gonb` and `bin/goimports` are built from them).\n\n"
                 + _table(["module", "version", "licence", "licence files"],
                          [(f"`{p}`", v, ids, desc) for p, v, ids, desc in go]))
    parts.append(f"## {TOOLCHAIN}\n\nFetched by the go command from the Go module proxy "
                 "(`GOTOOLCHAIN`, set by the `Makefile`).\n\n"
                 + _table(["module", "version", "licence", "licence files"], [(f"`{tool[0]}`",) + tool[1:]]))
    parts.append(f"## {PYTHON}\n\nPinned in the lock files named; installed into `.venv` (cffconvert's into "
                 "`.venv/cff`) by `make setup`, `make hub-setup` (JupyterHub) and `make setup-cuda` "
                 "(`gankit/backend/xla-cuda.txt`). `lammps-jax-pjrt-cpu` is XLA's CPU plugin, the "
                 "default backend's.\n\n"
                 + _table(["package", "version", "licence", "read from", "pinned in"],
                          [(f"`{n}`", v, lic, how, f"`{lock}`") for n, v, lic, how, lock in pinned]))
    parts.append("### Installed with them\n\nThe packages pip installs into `.venv` because the pinned ones "
                 "require them. They are not pinned: these are the versions in the venv this file was "
                 "generated from.\n\n"
                 + _table(["package", "version", "licence", "read from", "required by"],
                          [(n, v, lic, how, by) for n, v, lic, how, by in installed_with]))
    parts.append(f"## {NPM}\n\nconfigurable-http-proxy and what it requires, for the class JupyterHub "
                 "(`make hub-setup` installs them into `.venv/hub/proxy`).\n\n"
                 + _table(["package", "version", "licence"], [(f"`{n}`", v, lic) for n, v, lic in npm]))
    parts.append(f"## {MATHJAX}\n\nCopied into every exported site (`lessons/mathjax/`, "
                 f"`instructor-site/mathjax/`) from the Python package jupyter-server-mathjax {sm_version}, "
                 "so that the pages typeset their math offline.\n\n"
                 + _table(["package", "version", "licence", "copied from"],
                          [("MathJax", mj_version, mj_licence, f"jupyter-server-mathjax {sm_version}")]))
    parts.append(f"## {DEBIAN}\n\nInstalled by the `Makefile` with `apt-get` when missing (as root), at "
                 "the version Debian serves; each package's licences are in "
                 "`/usr/share/doc/<package>/copyright`.\n\n"
                 + _table(["package", "version", "licence", "installed by"],
                          [(f"`{n}`", "unpinned", f"`/usr/share/doc/{n}/copyright`", f"`make {t}`")
                           for n, t in debian]))
    return "\n\n".join(parts) + "\n"


# What a row of the notices names: "| `name` | version |" under a "## section" heading (MathJax's
# row, whose version follows jupyter-server-mathjax's pin rather than a lock file, has no backticks).
ROW = re.compile(r"^\| `([^`]+)` \| ([^ |]+) \|")


def listed(text):
    """{section: sorted [(name, version)]} of the rows of a notices file, as inventory() gives them."""
    out, section = {}, None
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("### "):
            section = None  # "Installed with them": not in the lock files
        elif section:
            m = ROW.match(line)
            if m:
                out.setdefault(section, []).append((m.group(1), m.group(2)))
    return {k: sorted(v) for k, v in out.items()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--classifier", default=str(ROOT / "bin" / "identify_license"),
                    help="licenseclassifier's identify_license (make notices builds it)")
    ap.add_argument("--out", default=str(ROOT / OUT))
    args = ap.parse_args(argv)
    text = notices(ROOT, Classifier(args.classifier))
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
