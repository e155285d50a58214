"""Tests of the bulk grader (grade.py) on honest and hostile submissions.

Run with the venv's pytest:
    .venv/bin/python -m pytest -q -p no:cacheprovider cmd/nbexec/test_grade.py

The submissions are built here from testdata/grading/instructor.ipynb, so that they follow
the fixture when it changes. All run in one grade() call (two at a time); the tests below
read its rows.
"""

import copy
import csv
import hashlib
import json
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
# Per notebook. A normal submission takes ~5-15 s here (kernel start, four small Go builds);
# the infinite loop is the only one to reach the limit.
TIMEOUT = 60


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

    # The student version (stubs that panic "not implemented") with both checks weakened to
    # always pass, and the points raised.
    nb = exercises.student_version(_instructor())
    for ex_id in ("double", "mean"):
        c = nb.cells[_cell(nb, "check", ex_id)]
        c.source = f'%%\nexercise.That("{ex_id}", "", func() error {{ return nil }})'
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
    c = nb.cells[_cell(nb, "solution", "double")]
    c.source += '\n\nvar _ = func() int { panic("boom at init") }()'
    add("toppanic.ipynb", nb, "a top-level panic in a solution cell")

    nb = _instructor()
    _solve(nb, "mean", "\treturn undefinedThing")
    add("compile.ipynb", nb, "mean does not compile")

    nb = _instructor()
    nb.cells[_cell(nb, "solution", "mean")].source = 'import "os"\n\n' + \
        nb.cells[_cell(nb, "solution", "mean")].source
    _solve(nb, "mean", "\tos.Exit(3)\n\treturn 0")
    add("exit.ipynb", nb, "mean calls os.Exit(3)")

    # ~50 MB on stdout, then the right answer.
    nb = _instructor()
    nb.cells[_cell(nb, "solution", "mean")].source = 'import (\n\t"fmt"\n\t"strings"\n)\n\n' + \
        nb.cells[_cell(nb, "solution", "mean")].source
    _solve(nb, "mean", '\tline := strings.Repeat("x", 1<<20)\n'
                       '\tif len(xs) == 1 {\n\t\tfor i := 0; i < 50; i++ {\n\t\t\tfmt.Println(line)\n\t\t}\n\t}\n'
                       '\ts := 0.0\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s / float64(len(xs))')
    add("bigoutput.ipynb", nb, "prints 50 MB, then answers right")

    # Deletes everything in its working folder, from the shell and from Go.
    nb = _instructor()
    k = _cell(nb, "solution", "double")
    nb.cells.insert(k, nbformat.v4.new_code_cell(
        'import "os"\n\n%%\nentries, _ := os.ReadDir(".")\nfor _, e := range entries {\n'
        '\tos.RemoveAll(e.Name())\n}\nfmt.Println("removed", len(entries))'))
    nb.cells.insert(k + 1, nbformat.v4.new_code_cell("!touch x && rm -rf ./* ./.[!.]* && ls -A | wc -l"))
    add("rmrf.ipynb", nb, "deletes the files in its working folder")
    return made


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("grading")
    subs = base / "submissions"
    build_submissions(subs)
    before = _hashes(subs)
    start = time.monotonic()
    rows = grade.grade(INSTRUCTOR, subs, base / "out", timeout=TIMEOUT, workers=2)
    elapsed = time.monotonic() - start
    print(f"\ngraded {len(rows)} submissions in {elapsed:.1f} s: " +
          ", ".join(f"{r['file']} {r['seconds']} s" + (f" ({r['check_reruns']} check reruns)"
                                                         if r["check_reruns"] else "") for r in rows))
    return {"rows": {r["file"]: r for r in rows}, "subs": subs, "out": base / "out", "before": before}


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


def test_originals_untouched(graded):
    assert _hashes(graded["subs"]) == graded["before"]


# file -> (double, mean, words that the reasons must hold)
EXPECTED = {
    "correct.ipynb": (1, 2, []),
    "partial.ipynb": (1, 0, ["mean: on input [1 2 3] your function returns 6"]),
    "weakened.ipynb": (0, 0, ["double: on input 0", "not implemented", "mean: on input [1]"]),
    "invalid.ipynb": (0, 0, ["invalid JSON", "line"]),
    "python.ipynb": (0, 0, ["'python3' kernel"]),
    "deleted.ipynb": (0, 0, ["check cell deleted: mean"]),
    "reordered.ipynb": (0, 0, ["check cells reordered"]),
    "loop.ipynb": (0, 0, [f"time limit of {TIMEOUT} s exceeded"]),
    "toppanic.ipynb": (0, 0, ["double: the check produced no result", "boom at init", "mean:"]),
    "compile.ipynb": (1, 0, ["mean: the check produced no result (compile error: undefined: mean)"]),
    "exit.ipynb": (1, 0, ["mean: the check produced no result", "exit status 3"]),
    "bigoutput.ipynb": (1, 2, []),
    "rmrf.ipynb": (1, 2, []),
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
    assert rows["loop.ipynb"]["reasons"] == f"time limit of {TIMEOUT} s exceeded"


def test_weakened_check_is_restored(graded):
    ex = graded["rows"]["weakened.ipynb"]["exercises"]
    assert ex["double"]["max"] == 1 and ex["mean"]["max"] == 2  # not the student's 100 points
    assert "not implemented" in ex["double"]["message"]


def test_enormous_output_is_capped(graded):
    row = graded["rows"]["bigoutput.ipynb"]
    assert any("output passed 2 MB" in n for n in row["notes"]), row["notes"]
    page = (graded["out"] / "feedback" / "bigoutput.html").read_text()
    assert "output passed 2 MB" in page


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

    # Hostile metadata does not crash the grader; an extra cell claiming to be a check loses
    # its markup; the set-up cell points at the repository; outputs are cleared.
    nb = copy.deepcopy(inb)
    nb.cells[0].metadata["gankit"] = "check"
    extra = nbformat.v4.new_code_cell('%%\nexercise.That("double", "", func() error { return nil })',
                                      metadata={"gankit": {"check": "double", "points": 9}})
    nb.cells.append(extra)
    nb.cells[_cell(inb, "check", "double")].outputs = [nbformat.v4.new_output("stream", text="old")]
    g = grade.graded_copy(nb, inb, checks)
    assert [c["id"] for _, c in exercises.checks(g)] == ["double", "mean"]
    assert g.cells[1].source == grade.SETUP_CELL and str(grade.REPO) in grade.SETUP_CELL
    assert all(c.get("outputs", []) == [] for c in g.cells)
    assert nb.cells[_cell(inb, "check", "double")].outputs  # the submission is not modified

    # No set-up cell at all: one is put first.
    nb = copy.deepcopy(inb)
    del nb.cells[1]
    g = grade.graded_copy(nb, inb, checks)
    assert g.cells[0].source == grade.SETUP_CELL


def test_check_without_result_is_rerun(tmp_path):
    # A check cell that ends cleanly without a result (as when GoNB loses the display of a
    # program that exits right after sending it) is run again. This one sends its result only
    # on its second run.
    check = ('import "os"\n\n%%\nif _, err := os.Stat("ran-once"); err != nil {\n'
             '\tos.WriteFile("ran-once", nil, 0o644)\n\treturn\n}\n'
             'exercise.Value("x", "", func() float64 { return 1 }, 1, 0)')
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(grade.SETUP_CELL),
                nbformat.v4.new_code_cell(_instructor().cells[2].source),  # the imports
                nbformat.v4.new_code_cell(check, metadata={"gankit": {"check": "x", "points": 1, "title": "x"}})]
    meta = grade.run_notebook(nb, tmp_path, 120)
    assert meta == {"note": None, "dropped_output_bytes": 0, "check_reruns": 1}, meta
    assert exercises.check_results(nb)["x"]["passed"]


def test_csv_safe():
    assert grade.csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert grade.csv_safe("@SUM") == "'@SUM"
    assert grade.csv_safe("alice.ipynb") == "alice.ipynb"
    assert grade.csv_safe(3) == 3
