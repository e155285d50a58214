"""Tests of the bulk grader (grade.py) on honest and hostile submissions.

Run with the venv's pytest:
    .venv/bin/python -m pytest -q -p no:cacheprovider cmd/nbexec/test_grade.py

The submissions are built here from testdata/grading/instructor.ipynb, so that they follow
the fixture when it changes. All run in one grade() call (two at a time); the tests below
read its rows. test_sandbox.py tests the sandbox itself with a program that breaks the
rules a submission's code must follow.
"""

import copy
import csv
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import exercises
import grade

HERE = Path(__file__).resolve().parent
INSTRUCTOR = HERE / "testdata" / "grading" / "instructor.ipynb"
GRADE_PY = HERE / "grade.py"
# Per check. A check's run takes milliseconds; the infinite loop is the only one to reach it.
TIMEOUT = 10
REPO = HERE.parents[1]


def _instructor():
    return nbformat.read(INSTRUCTOR, as_version=4)


def _cell(nb, kind, ex_id):
    """Index of the solution or check cell of exercise ex_id."""
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("gankit", {}).get(kind) == ex_id)


def _solve(nb, ex_id, body):
    """Replaces the solution region of ex_id's solution cell by body."""
    cell = nb.cells[_cell(nb, "solution", ex_id)]
    head, rest = cell.source.split(exercises.BEGIN, 1)
    _, tail = rest.split(exercises.END, 1)
    cell.source = head + exercises.BEGIN + "\n" + body + "\n\t" + exercises.END + tail


def _write(folder, name, nb):
    nbformat.write(nb, folder / name)


def build_submissions(folder):
    """Writes the test submissions into folder. Returns {file name: what it is}."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}

    def add(name, nb, what):
        _write(folder, name, nb)
        made[name] = what

    add("correct.ipynb", _instructor(), "the instructor's solutions")

    nb = _instructor()
    _solve(nb, "mean", "\ts := 0.0\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s")
    add("partial.ipynb", nb, "mean returns the sum")

    add("blank.ipynb", exercises.student_version(_instructor()), "the student version: stubs")

    # The student version with both checks weakened to always pass, and the points raised.
    nb = exercises.student_version(_instructor())
    for ex_id in ("double", "mean"):
        c = nb.cells[_cell(nb, "check", ex_id)]
        c.source = f'%%\nexercise.Value("{ex_id}", "", func() float64 {{ return 1 }}, 1, 0)'
        c.metadata["gankit"]["points"] = 100
    add("weakened.ipynb", nb, "checks rewritten to always pass")

    (folder / "invalid.ipynb").write_text(INSTRUCTOR.read_text()[:700])
    made["invalid.ipynb"] = "truncated JSON"

    nb = _instructor()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    add("python.ipynb", nb, "a python3 notebook")

    nb = _instructor()
    del nb.cells[_cell(nb, "check", "mean")]
    add("deleted.ipynb", nb, "mean's check cell deleted")

    nb = _instructor()
    i, j = _cell(nb, "check", "double"), _cell(nb, "check", "mean")
    nb.cells[i], nb.cells[j] = nb.cells[j], nb.cells[i]
    add("reordered.ipynb", nb, "the two check cells swapped")

    nb = _instructor()
    _solve(nb, "double", "\tfor {\n\t}")
    add("loop.ipynb", nb, "double loops forever")

    nb = _instructor()
    _solve(nb, "double", "\tvar keep [][]float64\n\tfor {\n\t\tb := make([]float64, 1<<24)\n"
                         "\t\tfor i := range b {\n\t\t\tb[i] = x\n\t\t}\n\t\tkeep = append(keep, b)\n\t}")
    add("membomb.ipynb", nb, "double allocates without end")

    nb = _instructor()
    _solve(nb, "double", "\tfor {\n\t\tgo func() { select {} }()\n\t}")
    add("goroutines.ipynb", nb, "double starts goroutines without end")

    nb = _instructor()
    _solve(nb, "mean", "\treturn undefinedThing")
    add("compile.ipynb", nb, "mean does not compile")

    nb = _instructor()
    nb.cells[_cell(nb, "solution", "mean")].source = 'import "os"\n\n' + \
        nb.cells[_cell(nb, "solution", "mean")].source
    _solve(nb, "mean", "\tos.Exit(3)\n\treturn 0")
    add("exit.ipynb", nb, "mean calls os.Exit(3)")

    # The forged grade of the issue: unsolved stubs, and a package-level initialiser that
    # sends a passing result for each check and exits before any check runs.
    forge = ('\n\nvar _ = func() int {\n'
             '\tfor _, id := range []string{"double", "mean"} {\n'
             '\t\tfmt.Printf("{\\"id\\": %q, \\"passed\\": true, \\"message\\": \\"ok\\"}\\n", id)\n'
             '\t}\n\tos.Exit(0)\n\treturn 0\n}()')
    nb = exercises.student_version(_instructor())
    c = nb.cells[_cell(nb, "solution", "double")]
    c.source = 'import (\n\t"fmt"\n\t"os"\n)\n\n' + c.source + forge
    add("forged.ipynb", nb, "stubs and an initialiser that prints passing results and exits")

    # The same without the os import: an initialiser that only runs code.
    nb = exercises.student_version(_instructor())
    nb.cells[_cell(nb, "solution", "double")].source += '\n\nvar _ = func() int { panic("boom at init") }()'
    add("initvar.ipynb", nb, "a package-level initialiser that runs code")

    nb = _instructor()
    nb.cells[_cell(nb, "solution", "mean")].source += '\n\nfunc init() { panic("init") }'
    add("initfunc.ipynb", nb, "a func init in mean's cell")

    nb = _instructor()
    nb.cells[_cell(nb, "solution", "double")].source = 'import "fmt"\n\n' + \
        nb.cells[_cell(nb, "solution", "double")].source
    _solve(nb, "double", '\tfmt.Println("✔ double: passed")\n\treturn 2 * x')
    add("prints.ipynb", nb, "double prints a fake pass")

    nb = _instructor()
    nb.cells[_cell(nb, "solution", "mean")].source += "\n\ntype exercise struct{}"
    add("shadow.ipynb", nb, "mean's cell declares exercise")

    nb = _instructor()
    nb.cells[_cell(nb, "solution", "double")].source = (
        'import _ "unsafe"\n\n//go:linkname forged runtime.nanotime\nfunc forged() int64\n\n' +
        nb.cells[_cell(nb, "solution", "double")].source)
    add("linkname.ipynb", nb, "a //go:linkname directive")

    # Attacks that need the operating system: each imports what graded code may not.
    attacks = {
        "writekit.ipynb": ('"os"', f'\tos.WriteFile({json.dumps(str(REPO / "gankit" / "exercise" / "evil.go"))}, '
                                   '[]byte("package exercise"), 0o644)\n\treturn 2 * x'),
        "readlesson.ipynb": ('"os"', f'\tb, _ := os.ReadFile({json.dumps(str(INSTRUCTOR))})\n\treturn float64(len(b))'),
        "diskfill.ipynb": ('"os"', '\tf, _ := os.Create("fill")\n\tfor {\n\t\tf.Write(make([]byte, 1<<20))\n\t}'),
        "forkstorm.ipynb": ('"os/exec"', '\tfor {\n\t\texec.Command("/proc/self/exe").Start()\n\t}'),
        "network.ipynb": ('"net"', '\tc, err := net.Dial("tcp", "127.0.0.1:22")\n\tif err == nil {\n\t\tc.Close()\n\t}\n\treturn 2 * x'),
        "syscall.ipynb": ('"syscall"', '\tsyscall.Kill(1, 9)\n\treturn 2 * x'),
    }
    for name, (imp, body) in attacks.items():
        nb = _instructor()
        c = nb.cells[_cell(nb, "solution", "double")]
        c.source = f"import {imp}\n\n" + c.source
        _solve(nb, "double", body)
        add(name, nb, f"double imports {imp}")
    return made


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _tree_hashes(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("grading")
    subs = base / "submissions"
    build_submissions(subs)
    before = _hashes(subs)
    kit_before = _tree_hashes(REPO / "gankit")
    start = time.monotonic()
    rows = grade.grade(INSTRUCTOR, subs, base / "out", timeout=TIMEOUT, workers=2)
    elapsed = time.monotonic() - start
    print(f"\ngraded {len(rows)} submissions in {elapsed:.1f} s: " +
          ", ".join(f"{r['file']} {r['seconds']} s" for r in rows))
    return {"rows": {r["file"]: r for r in rows}, "subs": subs, "out": base / "out", "before": before,
            "kit_before": kit_before, "kit_after": _tree_hashes(REPO / "gankit")}


def _csv(graded):
    with open(graded["out"] / "grades.csv", newline="", encoding="utf-8") as f:
        return {r["file"]: r for r in csv.DictReader(f)}


def test_csv_columns_and_files(graded):
    with open(graded["out"] / "grades.csv", newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == ["file", "double", "mean", "total", "max", "reasons"]
    assert sorted(_csv(graded)) == sorted(p.name for p in graded["subs"].glob("*.ipynb"))
    for name in _csv(graded):
        page = graded["out"] / "feedback" / (Path(name).stem + ".html")
        assert page.is_file(), page


def test_originals_and_kit_untouched(graded):
    assert _hashes(graded["subs"]) == graded["before"]
    assert graded["kit_after"] == graded["kit_before"]
    assert not (REPO / "gankit" / "exercise" / "evil.go").exists()


# file -> (double, mean, words that the reasons must hold)
EXPECTED = {
    "correct.ipynb": (1, 2, []),
    "partial.ipynb": (1, 0, ["mean: on input [1 2 3] your function returns 6"]),
    "blank.ipynb": (0, 0, ["double: on input 0: not implemented", "mean: on input [1]: not implemented"]),
    "weakened.ipynb": (0, 0, ["double: the check cell was edited", "mean: the check cell was edited"]),
    "invalid.ipynb": (0, 0, ["invalid JSON", "line"]),
    "python.ipynb": (0, 0, ["'python3' kernel"]),
    "deleted.ipynb": (0, 0, ["check cell deleted: mean"]),
    "reordered.ipynb": (0, 0, ["check cells reordered"]),
    "loop.ipynb": (0, 2, [f"double: your code gave no answer: time limit of {TIMEOUT} s reached"]),
    # As root the run has a cgroup, which names the memory limit; otherwise an rlimit stops it.
    "membomb.ipynb": (0, 2, ["double: your code gave no answer" + (": memory limit reached" if os.geteuid() == 0 else "")]),
    "goroutines.ipynb": (0, 2, ["double: your code gave no answer"]),
    "compile.ipynb": (1, 0, ["mean: the solution does not compile: undefined: undefinedThing"]),
    "exit.ipynb": (1, 0, ['mean: the solution imports "os"', "which graded code may not use"]),
    "forged.ipynb": (0, 0, ['double: the solution imports "os"', "mean: on input [1]: not implemented"]),
    "initvar.ipynb": (0, 0, ["double: a package-level variable's initial value runs code", "mean: on input [1]: not implemented"]),
    "initfunc.ipynb": (1, 0, ["mean: the solution declares func init"]),
    "prints.ipynb": (0, 2, ["double: the solution prints (fmt.Println"]),
    "shadow.ipynb": (1, 0, ["mean: the solution declares exercise"]),
    "linkname.ipynb": (0, 2, ['double: the solution has a compiler directive "//go:linkname"']),
    "writekit.ipynb": (0, 2, ['double: the solution imports "os"']),
    "readlesson.ipynb": (0, 2, ['double: the solution imports "os"']),
    "diskfill.ipynb": (0, 2, ['double: the solution imports "os"']),
    "forkstorm.ipynb": (0, 2, ['double: the solution imports "os/exec"']),
    "network.ipynb": (0, 2, ['double: the solution imports "net"']),
    "syscall.ipynb": (0, 2, ['double: the solution imports "syscall"']),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_row(graded, name):
    double, mean, words = EXPECTED[name]
    row = _csv(graded)[name]
    assert (int(row["double"]), int(row["mean"])) == (double, mean), row
    assert int(row["total"]) == double + mean and row["max"] == "3", row
    for w in words:
        assert w in row["reasons"], (w, row["reasons"])
    if not words:
        assert row["reasons"] == "", row
    assert graded["rows"][name]["total"] == double + mean


def test_notebook_level_reason_stands_alone(graded):
    rows = _csv(graded)
    assert rows["deleted.ipynb"]["reasons"] == "check cell deleted: mean"


def test_edited_checks_keep_their_points(graded):
    ex = graded["rows"]["weakened.ipynb"]["exercises"]
    assert ex["double"]["max"] == 1 and ex["mean"]["max"] == 2  # not the student's 100 points


def test_feedback_page(graded):
    page = (graded["out"] / "feedback" / "partial.html").read_text(encoding="utf-8")
    assert "<title>Feedback: partial.ipynb</title>" in page
    assert "1 / 3" in page and "✔" in page and "✘" in page
    assert "mean(xs) averages a slice" in page and "0 / 2 points" in page
    assert "Hint: add the values" in page
    page = (graded["out"] / "feedback" / "python.html").read_text(encoding="utf-8")
    assert "not graded normally" in page and "&#x27;python3&#x27; kernel" in page


def _cli(*args):
    return subprocess.run([sys.executable, str(GRADE_PY), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def _checks_error(r, words):
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert words in lines[0], lines[0]


def test_cli_errors(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    no_checks = nbformat.v4.new_notebook()
    no_checks.cells = [nbformat.v4.new_code_cell("%%\nfmt.Println(1)")]
    nbformat.write(no_checks, tmp_path / "plain.ipynb")
    out = tmp_path / "out"
    _checks_error(_cli("--instructor", INSTRUCTOR, "--submissions", tmp_path / "nope", "--out", out),
                  "does not exist")
    _checks_error(_cli("--instructor", INSTRUCTOR, "--submissions", INSTRUCTOR, "--out", out),
                  "is not a folder")
    _checks_error(_cli("--instructor", tmp_path / "missing.ipynb", "--submissions", subs, "--out", out),
                  "instructor notebook")
    _checks_error(_cli("--instructor", tmp_path / "plain.ipynb", "--submissions", subs, "--out", out),
                  "has no check cells")
    (tmp_path / "broken.ipynb").write_text("{not json")
    _checks_error(_cli("--instructor", tmp_path / "broken.ipynb", "--submissions", subs, "--out", out),
                  "cannot read instructor notebook")
    for t in ("0", "-5"):
        _checks_error(_cli("--instructor", INSTRUCTOR, "--submissions", subs, "--out", out, "--timeout", t),
                      "time limit must be")
    _checks_error(_cli("--instructor", INSTRUCTOR, "--submissions", subs, "--out", out, "--workers", "0"),
                  "workers must be")
    _checks_error(_cli("--instructor", INSTRUCTOR, "--submissions", subs, "--out", subs / "grades"),
                  "inside the submissions folder")
    assert not out.exists() and not (subs / "grades").exists()


def test_cli_grades(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    _write(subs, "a.ipynb", _instructor())
    (subs / "b.ipynb").write_text("[")
    out = tmp_path / "out"
    r = _cli("--instructor", INSTRUCTOR, "--submissions", subs, "--out", out, "--timeout", TIMEOUT)
    assert r.returncode == 0, r.stderr
    assert "a.ipynb: 3/3" in r.stderr and "b.ipynb: 0/3 (invalid JSON" in r.stderr, r.stderr
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["file", "double", "mean", "total", "max", "reasons"]
    assert rows[1] == ["a.ipynb", "1", "2", "3", "3", ""]
    assert rows[2][:5] == ["b.ipynb", "0", "0", "0", "3"] and rows[2][5].startswith("invalid JSON: line 1")
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["a.html", "b.html"]


def test_library_errors(tmp_path):
    with pytest.raises(grade.GradeError, match="time limit"):
        grade.grade(INSTRUCTOR, tmp_path, tmp_path / "out", timeout=0)
    with pytest.raises(grade.GradeError, match="workers"):
        grade.grade(INSTRUCTOR, tmp_path, tmp_path / "out", timeout=10, workers=0)


def test_static_rejections_and_graded_copy(tmp_path):
    # The checks that run no kernel, on more shapes of bad input.
    inb, checks = grade.load_instructor(INSTRUCTOR)
    cases = {
        "empty.ipynb": (b"", "invalid JSON: line 1, column 1"),
        "list.ipynb": (b"[1, 2]", "not a Jupyter notebook"),
        "v3.ipynb": (json.dumps({"nbformat": 3, "cells": [], "metadata": {}}).encode(), "format 4"),
        "badcell.ipynb": (json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                      "cells": [{"cell_type": "code"}]}).encode(), "not a valid notebook"),
        "latin1.ipynb": ('{"a": "\xe9"}'.encode("latin-1"), "not UTF-8"),
        "deep.ipynb": (b"[" * 100000 + b"]" * 100000, "invalid JSON"),
    }
    for name, (data, words) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(grade.Reject, match=words.replace("(", r"\(")):
            grade.read_submission(tmp_path / name)
    (tmp_path / "dir.ipynb").mkdir()
    with pytest.raises(grade.Reject, match="not a regular file"):
        grade.read_submission(tmp_path / "dir.ipynb")

    # Hostile metadata does not crash the grader, and only the first cell of each check id
    # counts as its check.
    nb = copy.deepcopy(inb)
    nb.cells[0].metadata["gankit"] = "check"
    nb.cells.append(nbformat.v4.new_code_cell('%%\nexercise.Value("double", "", func() float64 { return 1 }, 1, 0)',
                                              metadata={"gankit": {"check": "double", "points": 9}}))
    assert grade.edited_checks(nb, inb, checks) == {}
    nb.cells[_cell(inb, "check", "mean")].source += "\n// a comment"
    assert list(grade.edited_checks(nb, inb, checks)) == ["mean"]


def test_compile_errors_are_traced_to_their_exercise():
    source = "package main\n//gankit:begin double\nfunc double() {}\n//gankit:end double\nfunc x() {}\n"
    errors = "# gankitcheck\n./main.go:3:6: undefined: y\n./main.go:5:1: other\n"
    assert grade.attribute(errors, source) == {"double": "undefined: y"}


def test_csv_safe():
    assert grade.csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert grade.csv_safe("@SUM") == "'@SUM"
    assert grade.csv_safe("alice.ipynb") == "alice.ipynb"
    assert grade.csv_safe(3) == 3


LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.name for p in LESSONS])
def test_every_lesson_grades(lesson, tmp_path):
    """Each lesson's own solutions score full marks under the grader, and its student version
    (lessons/exercises/) zero with "not implemented": the check cells build into the check
    program and run in the sandbox (lesson 11's check loads the shipped digits from the kit's
    data/, which the sandbox shows read-only)."""
    subs = tmp_path / "subs"
    subs.mkdir()
    _write(subs, "instructor.ipynb", nbformat.read(lesson, as_version=4))
    _write(subs, "student.ipynb", nbformat.read(REPO / "lessons" / "exercises" / lesson.name, as_version=4))
    rows = {r["file"]: r for r in grade.grade(lesson, subs, tmp_path / "out", timeout=TIMEOUT)}
    full = rows["instructor.ipynb"]
    assert full["total"] == full["max"] > 0, full["reasons"]
    blank = rows["student.ipynb"]
    assert blank["total"] == 0, blank
    assert all("not implemented" in e["reason"] for e in blank["exercises"].values()), blank["reasons"]
