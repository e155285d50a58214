"""Exercise tests: the markup, the student versions, and that the checks pass and fail as they should.

The full instructor notebooks run in test_nbexec.py (test_lesson_runs_clean), which also
requires every check there to pass. Here each notebook runs reduced to its exercises
(exercises.exercise_cells: the set-up and imports cells, the solution and check cells);
the student version differs from the instructor's only in those cells, which the sync test
below proves, so the rest of each student notebook is the instructor's, already run.
"""

import json
import tempfile
from pathlib import Path

import nbformat
import pytest

import exercises as ex
import nbexec

REPO = Path(__file__).resolve().parents[2]
LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))
STUDENT_DIR = REPO / "lessons" / "exercises"


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def _solution(ex_id, src):
    c = nbformat.v4.new_code_cell(src)
    c.metadata = {"gankit": {"solution": ex_id}, "nbgrader": ex.nbgrader_metadata("solution", ex_id)}
    return c


def _check(ex_id, points=1, title="t"):
    c = nbformat.v4.new_code_cell(f'%%\nexercise.Func("{ex_id}", ...)')
    c.metadata = {"gankit": {"check": ex_id, "points": points, "title": title},
                  "nbgrader": ex.nbgrader_metadata("check", ex_id, points)}
    return c


SETUP = nbformat.v4.new_code_cell(
    '%noautoget\n!*rm -f go.work && go work init && go work use . "${GANKIT_ROOT:-${GONB_DIR}/..}" && go mod edit -replace "github.com/gankit/kit=${GANKIT_ROOT:-${GONB_DIR}/..}"')

SOLUTION = """// f doubles x.
func f(x float64) float64 {
	// BEGIN SOLUTION
	y := 2 * x
	return y
	// END SOLUTION
}

var table = []int{
  // BEGIN SOLUTION
  1, 2, 3,
  // END SOLUTION
}"""


def test_stub_keeps_indentation_and_the_rest():
    assert ex.stub_solutions(SOLUTION) == """// f doubles x.
func f(x float64) float64 {
	// YOUR CODE HERE
	panic("not implemented")
}

var table = []int{
  // YOUR CODE HERE
  panic("not implemented")
}"""


def test_student_version():
    out = nbformat.v4.new_output("stream", name="stdout", text="42\n")
    sol = _solution("dbl", SOLUTION)
    sol.outputs, sol.execution_count = [out], 3
    nb = _nb(SETUP, nbformat.v4.new_markdown_cell("text"), sol, _check("dbl", 2))
    before = json.dumps(nb, sort_keys=True)
    st = ex.student_version(nb, "x")
    assert json.dumps(nb, sort_keys=True) == before, "the instructor notebook was modified"
    assert '"${GANKIT_ROOT:-${GONB_DIR}/../..}"' in st.cells[0].source
    assert "BEGIN SOLUTION" not in st.cells[2].source and "2 * x" not in st.cells[2].source
    assert 'panic("not implemented")' in st.cells[2].source
    assert st.cells[2].outputs == [] and st.cells[2].execution_count is None
    assert st.cells[3].source == nb.cells[3].source and st.cells[3].metadata == nb.cells[3].metadata
    assert st.cells[1] == nb.cells[1]


@pytest.mark.parametrize("cells, message", [
    ([_check("a"), _check("a")], "repeats"),
    ([_check("a", points=0)], "points >= 1"),
    ([_check("a", points=True)], "points >= 1"),
    ([_check("a", title="")], "needs a title"),
    ([_check("Bad Id")], "lowercase"),
    ([_solution("a", SOLUTION)], "no check cell after it"),
    ([_check("a"), _solution("a", SOLUTION)], "no check cell after it"),
    ([_solution("a", "func f() {}"), _check("a")], "no '// BEGIN SOLUTION'"),
    ([_solution("a", "// BEGIN SOLUTION\n"), _check("a")], "without '// END SOLUTION'"),
    ([_solution("a", "// END SOLUTION\n"), _check("a")], "without '// BEGIN SOLUTION'"),
    ([_solution("a", "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION"), _check("a")], "inside another"),
])
def test_validate_rejects(cells, message):
    with pytest.raises(ex.MarkupError, match=message):
        ex.validate(_nb(SETUP, *cells), "bad.ipynb")


def test_student_version_needs_the_setup_cell():
    with pytest.raises(ex.MarkupError, match="set-up cell"):
        ex.student_version(_nb(nbformat.v4.new_code_cell("x := 1"), _solution("a", SOLUTION), _check("a")))


def test_check_results_reads_only_its_own_cell():
    def result(ex_id, passed):
        return nbformat.v4.new_output("display_data", data={
            ex.RESULT_MIME: json.dumps({"id": ex_id, "passed": passed, "message": "m"}), "text/plain": "line"})
    a, b = _check("a"), _check("b")
    # A result for "b" printed by cell "a" does not count for "b"; the last "a" result wins.
    a.outputs = [result("a", False), result("b", True), result("a", True)]
    b.outputs = [nbformat.v4.new_output("stream", name="stdout", text="✔ b: passed")]  # text alone is not a result
    res = ex.check_results(_nb(SETUP, a, b))
    assert res == {"a": {"id": "a", "passed": True, "message": "m", "hint": ""}}
    bad = _check("c")
    bad.outputs = [nbformat.v4.new_output("display_data", data={ex.RESULT_MIME: "{not json"})]
    assert ex.check_results(_nb(bad)) == {}


def test_every_lesson_has_exercises():
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        ex.validate(nb, path.name)
        assert len(ex.checks(nb)) >= 2, f"{path.name} has {len(ex.checks(nb))} exercises, want at least 2"
        assert {i for _, i in ex.solutions(nb)} == {c["id"] for _, c in ex.checks(nb)}, path.name
        for i, c in ex.checks(nb):
            assert nb.cells[i].metadata["nbgrader"] == ex.nbgrader_metadata("check", c["id"], c["points"])


def test_student_versions_are_in_sync(tmp_path):
    written = ex.write_student_versions(LESSONS, tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in STUDENT_DIR.glob("*.ipynb")), \
        "lessons/exercises/ holds other notebooks than notebooks/: run `make exercises`"
    for p in written:
        got = nbformat.read(STUDENT_DIR / p.name, as_version=4)
        want = nbformat.read(p, as_version=4)
        assert got == want, f"lessons/exercises/{p.name} is out of date: run `make exercises`"
    # Outside the solution cells and the set-up cell, a student notebook is the instructor's.
    for path in LESSONS:
        inst = nbformat.read(path, as_version=4)
        st = nbformat.read(STUDENT_DIR / path.name, as_version=4)
        sol = {i for i, _ in ex.solutions(inst)}
        first_code = next(i for i, c in enumerate(inst.cells) if c.cell_type == "code")
        assert len(st.cells) == len(inst.cells)
        for i, (a, b) in enumerate(zip(inst.cells, st.cells)):
            if i not in sol and i != first_code:
                assert a.source == b.source and a.metadata == b.metadata, f"{path.name} cell {i}"


def _run_exercises(nb, name):
    """Runs the exercise cells of nb from a temporary folder outside the repository: the set-up
    cell finds the kit through the kernelspec's GANKIT_ROOT."""
    with tempfile.TemporaryDirectory(prefix="gankit-exercises-") as tmp:
        path = Path(tmp) / name
        nbformat.write(ex.exercise_cells(nb), path)
        return nbexec.execute(path, timeout=300)


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_instructor_checks_pass(path):
    nb = nbformat.read(path, as_version=4)
    out, problems = _run_exercises(nb, path.name)
    assert not problems, "\n".join(problems)
    res = ex.check_results(out)
    for _, c in ex.checks(nb):
        assert c["id"] in res, f"check {c['id']} reported no result"
        assert res[c["id"]]["passed"], f"{c['id']}: {res[c['id']]['message']}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_student_checks_fail_without_crashing(path):
    st = nbformat.read(STUDENT_DIR / path.name, as_version=4)
    out, problems = _run_exercises(st, path.name)
    assert not problems, "\n".join(problems)
    res = ex.check_results(out)
    for _, c in ex.checks(st):
        assert c["id"] in res, f"check {c['id']} reported no result"
        r = res[c["id"]]
        assert not r["passed"], f"{c['id']} passed with the stub"
        assert "not implemented" in r["message"] and r["hint"], r


def test_odd_metadata_is_not_markup():
    for meta in ("check", ["check"], None, 3):
        c = nbformat.v4.new_code_cell("x")
        c.metadata = {"gankit": meta}
        assert ex.checks(_nb(c)) == [] and ex.solutions(_nb(c)) == [] and ex.check_id(c) is None
    assert ex.check_id(_check("a")) == "a"
    md = nbformat.v4.new_markdown_cell("x")
    md.metadata = {"gankit": {"check": "a"}}
    assert ex.check_id(md) is None
