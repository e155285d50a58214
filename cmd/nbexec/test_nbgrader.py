"""nbgrader, for real, with the shipped configuration (nbgrader/nbgrader_config.py).

A temporary course folder gets that file and lesson 1 as its source. The venv's nbgrader CLI
(pinned in requirements.txt) generates the assignment, then autogrades, in one run, four
submissions: correct (the instructor's solutions typed into the released notebook), blank (the
released notebook as handed out), partial (only the 2-point exercise solved) and forged (blank,
plus an initialiser that exits before the checks, which nbgrader's own Execute graded 3/3). The
shipped config decides the check cells with the kit's grader (nbgrader/trusted_checks.py), so the
scores, in nbgrader's gradebook (per exercise too) and in `nbgrader export`'s grades.csv, are
3, 0, 2 and 0 of 3, and each 0 is a failed check with its reason.

Also here: the set-up cell finds the kit from any folder, and the lessons' markup stays
something nbgrader can process.
"""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import exercises as ex
import nbexec

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "nbgrader" / "nbgrader_config.py"
LESSON = REPO / "notebooks" / "01-minimax-game.ipynb"
ASSIGNMENT = "lesson01"
# Lesson 1's exercises and their points (metadata.gankit.points of its check cells).
POINTS = {"01-equilibrium": 1, "01-d-loss": 2}
# Who solved what. "forged" is the blank notebook with the forgery of issue 17: a package-level
# initialiser that ends the program cleanly before any check cell runs, which scored 3/3 under
# nbgrader's own Execute.
SUBMISSIONS = {"correct": set(POINTS), "blank": set(), "partial": {"01-d-loss"}, "forged": set()}
FORGED = next(iter(POINTS))  # the exercise whose solution cell comes first, which holds the forgery
FORGERY = '\n\nvar forged = func() bool {\n\tos.Exit(0)\n\treturn true\n}()'

NBGRADER = Path(sys.prefix) / "bin" / "nbgrader"


def _nbgrader(course, *args, timeout=900):
    """Runs the venv's nbgrader CLI in course; returns its output (stdout and stderr)."""
    if not NBGRADER.exists():
        pytest.fail(f"{NBGRADER} is missing: run `make setup` (nbgrader is in cmd/nbexec/requirements.txt)")
    env = dict(os.environ)
    # nbgrader runs `alembic` by name for its gradebook: the venv's bin goes first on PATH.
    env["PATH"] = f"{NBGRADER.parent}{os.pathsep}{env.get('PATH', '')}"
    # Only the course's config, no user's ~/.jupyter; kernel files inside the course folder.
    env["JUPYTER_CONFIG_DIR"] = str(course / ".jupyter")
    env["JUPYTER_RUNTIME_DIR"] = str(course / ".runtime")
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    # The shipped config, not this environment, must make failed checks fail their cells.
    env.pop("GANKIT_CHECK_FAIL", None)
    r = subprocess.run([str(NBGRADER), *args], cwd=course, env=env, capture_output=True, text=True,
                       timeout=timeout)
    out = r.stdout + r.stderr
    assert r.returncode == 0, f"nbgrader {' '.join(args)} failed ({r.returncode}):\n{out[-6000:]}"
    return out


def _solved(released, source, ids):
    """released with the instructor's solution (from source) typed in for the exercises in ids."""
    nb = nbformat.from_dict(released)
    answers = {ex_id: source.cells[i].source for i, ex_id in ex.solutions(source)}
    for i, ex_id in ex.solutions(nb):
        if ex_id in ids:
            # What a learner writes: the code, without the instructor's markers.
            nb.cells[i].source = "\n".join(l for l in answers[ex_id].splitlines()
                                           if l.strip() not in (ex.BEGIN, ex.END))
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder after generate_assignment and autograde of the three submissions."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(CONFIG, root / "nbgrader_config.py")
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(LESSON, root / "source" / ASSIGNMENT / LESSON.name)
    _nbgrader(root, "generate_assignment", ASSIGNMENT)
    released = nbformat.read(root / "release" / ASSIGNMENT / LESSON.name, as_version=4)
    source = nbformat.read(LESSON, as_version=4)
    for student, ids in SUBMISSIONS.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nb = _solved(released, source, ids)
        if student == "forged":
            i = ex.solutions(nb)[0][0]
            nb.cells[i].source = 'import "os"\n\n' + nb.cells[i].source + FORGERY
        nbformat.write(nb, folder / LESSON.name)
    log = _nbgrader(root, "autograde", ASSIGNMENT)
    _nbgrader(root, "export")  # grades.csv
    return root, log


def test_release_is_the_student_version(course):
    root, _ = course
    released = nbformat.read(root / "release" / ASSIGNMENT / LESSON.name, as_version=4)
    student = nbformat.read(REPO / "lessons" / "exercises" / LESSON.name, as_version=4)
    assert len(released.cells) == len(student.cells)
    setup = next(i for i, c in enumerate(student.cells) if c.cell_type == "code")
    for i, (r, s) in enumerate(zip(released.cells, student.cells)):
        if i == setup:  # the same but for the fallback (nbgrader keeps the instructor's)
            assert r.source == s.source.replace(ex.STUDENT_SETUP_REPO, ex.SETUP_REPO)
        else:
            assert r.source == s.source, f"cell {i}"
    for i, _ in ex.solutions(released):
        assert ex.STUB[1] in released.cells[i].source and ex.BEGIN not in released.cells[i].source


def test_autograde_scores(course):
    from nbgrader.api import Gradebook

    root, log = course
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student, ids in SUBMISSIONS.items():
            sub = gb.find_submission(ASSIGNMENT, student)
            want = sum(POINTS[i] for i in ids)
            assert (sub.score, sub.max_score) == (want, sum(POINTS.values())), f"{student}:\n{log[-4000:]}"
            for ex_id, points in POINTS.items():
                grade = gb.find_grade(ex_id, LESSON.stem, ASSIGNMENT, student)
                assert grade.auto_score == (points if ex_id in ids else 0), f"{student} {ex_id}"
    # What `nbgrader export` writes: one line per student and assignment.
    with open(root / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT}
    assert {s: (float(r["score"]), float(r["max_score"])) for s, r in rows.items()} == \
        {s: (sum(POINTS[i] for i in ids), sum(POINTS.values())) for s, ids in SUBMISSIONS.items()}


def test_a_zero_is_a_failed_check(course):
    """Each exercise scores by its check: the correct notebook ran clean (the set-up cell found
    the kit from the course folder) with every check passed; an unsolved exercise's check cell
    failed with the stub's "not implemented", not a compile error or a lost kit."""
    root, _ = course
    for student, ids in SUBMISSIONS.items():
        nb = nbformat.read(root / "autograded" / student / ASSIGNMENT / LESSON.name, as_version=4)
        results = ex.check_results(nb)
        checks = dict((c["id"], i) for i, c in ex.checks(nb))
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and i not in checks.values():
                assert nbexec.cell_problems(cell, i) == [], f"{student}: {nbexec.cell_problems(cell, i)}"
        for ex_id, i in checks.items():
            if ex_id in ids:
                assert results[ex_id]["passed"], f"{student} {ex_id}: {results.get(ex_id)}"
                assert nbexec.cell_problems(nb.cells[i], i) == []
            else:
                # The forgery sits in the first solution cell (see course).
                why = 'imports "os"' if student == "forged" and ex_id == FORGED else "not implemented"
                assert not results[ex_id]["passed"] and why in results[ex_id]["message"], results[ex_id]
                errors = [o for o in nb.cells[i].outputs if o.output_type == "error"]
                assert errors, f"{student} {ex_id}: the failed check did not error its cell"


@pytest.mark.parametrize("folder, repo, unset", [
    ("outside", ex.SETUP_REPO, False),                  # a course folder: GANKIT_ROOT
    ("cmd", ex.SETUP_REPO, True),                       # like notebooks/, without GANKIT_ROOT
    ("lessons/exercises", ex.STUDENT_SETUP_REPO, True),  # the student versions, without it
], ids=["outside-the-repo", "fallback-from-a-subfolder", "fallback-from-lessons-exercises"])
def test_setup_cell_finds_the_kit(tmp_path, folder, repo, unset):
    cwd = tmp_path / "elsewhere" if folder == "outside" else REPO / folder
    cwd.mkdir(exist_ok=True)
    cells = (["%env GANKIT_ROOT="] if unset else []) + [
        f"%noautoget\n!*rm -f go.work && go work init && go work use . {repo} && go mod edit -replace \"github.com/gankit/kit={repo}\"",
        "!*go list -m -f '{{.Path}} {{.Dir}}' github.com/gankit/kit"]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in cells]
    nbformat.write(nb, tmp_path / "probe.ipynb")
    out, problems = nbexec.execute(tmp_path / "probe.ipynb", timeout=300, cwd=cwd)
    assert problems == []
    text = "".join(o.get("text", "") for o in out.cells[-1].outputs)
    assert f"github.com/gankit/kit {REPO}" in text, text


def test_lessons_mark_solutions_as_nbgrader_reads_them():
    def nb_with(cell):
        nb = nbformat.v4.new_notebook()
        nb.cells = [cell]
        return nb
    # A line naming a marker outside a solution cell: nbgrader would open a region there.
    for cell in (nbformat.v4.new_markdown_cell(f"Write code between `{ex.BEGIN}` and `{ex.END}`."),
                 nbformat.v4.new_code_cell(f"x := 1 {ex.END}")):
        with pytest.raises(ex.MarkupError, match="outside a solution cell"):
            ex.validate(nb_with(cell), "x")
    # Inside a solution cell, a marker stands alone on its line.
    sol = nbformat.v4.new_code_cell(f"{ex.BEGIN}\nx := 1 {ex.END}")
    sol.metadata = {"gankit": {"solution": "a"}}
    check = nbformat.v4.new_code_cell("%%\n")
    check.metadata = {"gankit": {"check": "a", "points": 1, "title": "t"}}
    nb = nbformat.v4.new_notebook()
    nb.cells = [sol, check]
    with pytest.raises(ex.MarkupError, match="alone on its line"):
        ex.validate(nb, "x")
