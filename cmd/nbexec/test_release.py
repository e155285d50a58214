"""What a course adopting the kit relies on: the licence, the third-party notices, the version
and the citation. Fast (a few seconds): no notebook runs.

- LICENSE is Apache-2.0's text as the Apache Software Foundation publishes it, unmodified.
- THIRD_PARTY_NOTICES.md lists every dependency of the lock files, at its locked version, and was
  written by the current cmd/nbexec/notices.py (else: run `make notices`).
- VERSION holds a semantic version; CHANGELOG.md has its entry, CITATION.cff cites it, `make
  version` prints it, and every lesson's first cell prints it next to the backend.
- CITATION.cff is valid Citation File Format 1.2.0, by cffconvert's schema validation (in
  .venv/cff, which `make setup` installs).
"""

import hashlib
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

import notices

REPO = Path(__file__).resolve().parents[2]
VERSION = (REPO / "VERSION").read_text(encoding="utf-8").strip()
CFFCONVERT = REPO / ".venv" / "cff" / "bin" / "cffconvert"
# SHA-256 of https://www.apache.org/licenses/LICENSE-2.0.txt (also GoMLX's LICENSE, and Debian's
# /usr/share/common-licenses/Apache-2.0 without its first, blank line).
APACHE_2_0_SHA256 = "c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
                    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$")


def test_licence_is_apache_2_0_unmodified():
    assert hashlib.sha256((REPO / "LICENSE").read_bytes()).hexdigest() == APACHE_2_0_SHA256, \
        "LICENSE is not the Apache License 2.0 as published: restore it (README.md, \"Licences\")"


# ---------------------------------------------------------------- third-party notices

def _notices():
    return (REPO / notices.OUT).read_text(encoding="utf-8")


def _differences(listed, inventory):
    """What the notices lack ("missing") and list beyond the lock files ("stale"), per section."""
    out = []
    for section in sorted(set(listed) | set(inventory)):
        have, want = set(listed.get(section, [])), set(inventory.get(section, []))
        out += [f"missing from {section}: {n} {v}" for n, v in sorted(want - have)]
        out += [f"stale in {section}: {n} {v} (no longer in the lock files)" for n, v in sorted(have - want)]
    return out


def test_notices_list_every_locked_dependency():
    diff = _differences(notices.listed(_notices()), notices.inventory(REPO))
    assert not diff, f"{notices.OUT} is out of date: run `make notices`\n" + "\n".join(diff)


def test_notices_come_from_the_current_generator():
    m = re.search(r"<!-- generator sha256: ([0-9a-f]{64}) -->", _notices())
    assert m, f"{notices.OUT} has no generator line: run `make notices`"
    assert m.group(1) == notices.generator_digest(), \
        f"{notices.OUT} was written by another version of cmd/nbexec/notices.py: run `make notices`"


def test_notices_check_would_catch_a_dependency_added_or_dropped():
    """The comparison above on altered inputs: a pin added to a lock file, a row deleted."""
    inv, text = notices.inventory(REPO), _notices()
    added = {**inv, notices.PYTHON: sorted(inv[notices.PYTHON] + [("new-package", "1.0")])}
    assert _differences(notices.listed(text), added) == [f"missing from {notices.PYTHON}: new-package 1.0"]
    gomlx = next(line for line in text.splitlines() if line.startswith("| `github.com/gomlx/gomlx` |"))
    dropped = notices.listed(text.replace(gomlx + "\n", ""))
    assert _differences(dropped, inv) == [f"missing from {notices.GO}: github.com/gomlx/gomlx " + gomlx.split(" | ")[1]]
    bumped = notices.listed(text.replace(gomlx, gomlx.replace(" | v", " | v9", 1)))
    assert len(_differences(bumped, inv)) == 2  # the locked version missing, the other one stale


def test_notices_name_what_the_issue_asks_for():
    """The dependencies a course asks about first, each with a licence."""
    text = _notices()
    rows = {m.group(1): line for line in text.splitlines() if (m := notices.ROW.match(line))}
    rows["MathJax"] = next((line for line in text.splitlines() if line.startswith("| MathJax |")), "")
    for name, licence in [("github.com/gomlx/gomlx", "Apache-2.0"), ("github.com/gomlx/go-xla", "Apache-2.0"),
                          ("gonum.org/v1/gonum", "BSD-3-Clause"), ("github.com/janpfeifer/gonb", "MIT"),
                          ("jupyterlab", "BSD-3-Clause"), ("MathJax", "Apache-2.0"),
                          ("lammps-jax-pjrt-cpu", "Apache-2.0"), ("nbgrader", "BSD-3-Clause"),
                          ("jupyterhub", "BSD-3-Clause"), ("configurable-http-proxy", "BSD-3-Clause"),
                          ("playwright", "Apache-2.0"), ("cffconvert", "Apache-2.0")]:
        assert rows.get(name), f"{notices.OUT} has no row for {name}"
        assert f"| {licence}" in rows[name], f"{name}: {rows[name]}"
    mathjax_pin = next(v for n, v, _ in notices.python_pins(REPO) if n == "jupyter-server-mathjax")
    assert f"jupyter-server-mathjax {mathjax_pin} |" in rows["MathJax"], \
        f"MathJax's row does not name the pinned jupyter-server-mathjax {mathjax_pin}: run `make notices`"


# ---------------------------------------------------------------- version, changelog, citation

def test_version_is_semantic():
    assert SEMVER.match(VERSION), f"VERSION holds {VERSION!r}, not a semantic version (1.0.0, 1.1.0-dev)"


def _changelog_entries():
    """[(heading version or "Unreleased", date or None)] of CHANGELOG.md's "## " headings, in order."""
    out = []
    for line in (REPO / "CHANGELOG.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            m = re.match(r"^## (\S+) — (\d{4}-\d{2}-\d{2})$", line)
            out.append((m.group(1), m.group(2)) if m else (line[3:].strip(), None))
    return out


def _cff():
    """The top-level scalar fields of CITATION.cff that the tests compare (a YAML subset)."""
    fields = {}
    for line in (REPO / "CITATION.cff").read_text(encoding="utf-8").splitlines():
        m = re.match(r'^([a-z-]+): "?([^"]*)"?$', line)
        if m:
            fields[m.group(1)] = m.group(2)
    return fields


def test_changelog_and_citation_name_the_version():
    entries = _changelog_entries()
    released = [(v, d) for v, d in entries if d]
    assert released, "CHANGELOG.md has no '## X.Y.Z — YYYY-MM-DD' entry"
    cff = _cff()
    if "-" in VERSION:  # between releases: the changes go under Unreleased, the citation names the last release
        assert entries[0] == ("Unreleased", None), f"VERSION is {VERSION}: CHANGELOG.md's first entry must be '## Unreleased'"
        assert VERSION.split("-")[0] not in [v for v, _ in released], f"{VERSION}: its release already has an entry"
    else:
        assert entries[0] == released[0] and released[0][0] == VERSION, \
            f"CHANGELOG.md's first entry is {entries[0]}, not VERSION's {VERSION}"
    assert (cff.get("version"), cff.get("date-released")) == released[0], \
        f"CITATION.cff names {cff.get('version')} of {cff.get('date-released')}; CHANGELOG.md's last release is {released[0]}"


def test_citation_is_valid_cff():
    if not CFFCONVERT.exists():
        pytest.fail(f"{CFFCONVERT} is missing: run `make setup` (it installs cffconvert into .venv/cff)")
    out = subprocess.run([str(CFFCONVERT), "--validate", "-i", str(REPO / "CITATION.cff")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, f"CITATION.cff is not valid CFF:\n{out.stdout}{out.stderr}"
    assert "valid according to schema version 1.2.0" in out.stdout, out.stdout


def test_citation_validator_rejects_a_broken_file(tmp_path):
    """The validator does validate: CITATION.cff without its authors is refused."""
    if not CFFCONVERT.exists():
        pytest.fail(f"{CFFCONVERT} is missing: run `make setup`")
    text = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    broken = re.sub(r"^authors:\n(?:  .*\n)+", "", text, flags=re.MULTILINE)
    assert broken != text
    (tmp_path / "CITATION.cff").write_text(broken, encoding="utf-8")
    out = subprocess.run([str(CFFCONVERT), "--validate", "-i", str(tmp_path / "CITATION.cff")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0, out.stdout


def test_make_version_prints_it():
    out = subprocess.run(["make", "-s", "--no-print-directory", "version"], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == f"gankit {VERSION}", out.stdout
    assert out.stdout.splitlines()[1].startswith("commit: "), out.stdout


LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))
KIT_IMPORT = '"github.com/gankit/kit"'
VERSION_LINE = 'fmt.Println("Kit: gankit", kit.Version)'


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_lesson_prints_the_version_next_to_the_backend(path):
    """The first cell that prints the backend prints the kit's version just before it
    (`Kit: gankit 1.0.0`), so that a notebook's output names what ran; the lesson tests check
    the printed line."""
    nb = nbformat.read(path, as_version=4)
    cell = next((c for c in nb.cells if c.cell_type == "code" and 'fmt.Println("Backend:"' in c.source), None)
    assert cell is not None, f"{path.name}: no cell prints the backend"
    lines = [line.strip() for line in cell.source.splitlines()]
    assert KIT_IMPORT in lines, f"{path.name}: its first cell does not import {KIT_IMPORT}"
    backend = next(i for i, line in enumerate(lines) if line.startswith('fmt.Println("Backend:"'))
    assert lines[backend - 1] == VERSION_LINE, f"{path.name}: no {VERSION_LINE} just before the backend line"
