#!/usr/bin/env python3
"""Writes instructor.ipynb, the tiny instructor notebook that test_grade.py grades against.

Run from anywhere with the project venv's python; rerun after editing the cells below:
    .venv/bin/python cmd/nbexec/testdata/grading/make_instructor.py
"""

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # cmd/nbexec, for exercises.py
import exercises  # noqa: E402

# The lessons' set-up cell (exercises.SETUP_REPO). From this folder the fallback
# "${GONB_DIR}/.." is not the repository, but the kernelspec's GANKIT_ROOT is (and the
# grader leaves the set-up cell out of the programs it builds).
SETUP = f"""%noautoget
!*rm -f go.work && go work init && go work use . {exercises.SETUP_REPO}
%goworkfix"""

IMPORTS = 'import "github.com/gankit/kit/gankit/exercise"'

DOUBLE = """func double(x float64) float64 {
\t// BEGIN SOLUTION
\treturn 2 * x
\t// END SOLUTION
}"""

DOUBLE_CHECK = """%%
exercise.Func("double", "Hint: multiply x by 2.", double,
\tfunc(x float64) float64 { return 2 * x }, []float64{0, 1, -2.5}, 1e-12)"""

MEAN = """func mean(xs []float64) float64 {
\t// BEGIN SOLUTION
\ts := 0.0
\tfor _, x := range xs {
\t\ts += x
\t}
\treturn s / float64(len(xs))
\t// END SOLUTION
}"""

MEAN_CHECK = """%%
exercise.Func("mean", "Hint: add the values, then divide by how many there are.", mean,
\tfunc(xs []float64) float64 {
\t\ts := 0.0
\t\tfor _, x := range xs {
\t\t\ts += x
\t\t}
\t\treturn s / float64(len(xs))
\t}, [][]float64{{1}, {1, 2, 3}, {-1, 1, 4}}, 1e-12)"""


def solution(src, ex_id):
    return nbformat.v4.new_code_cell(src, metadata={
        "gankit": {"solution": ex_id}, "nbgrader": exercises.nbgrader_metadata("solution", ex_id)})


def check_cell(src, ex_id, points, title):
    return nbformat.v4.new_code_cell(src, metadata={
        "gankit": {"check": ex_id, "points": points, "title": title},
        "nbgrader": exercises.nbgrader_metadata("check", ex_id, points)})


def instructor():
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Go (gonb)", "language": "go", "name": "gonb"},
                   "language_info": {"name": "go"}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Grading fixture\n\nTwo tiny exercises for test_grade.py."),
        nbformat.v4.new_code_cell(SETUP),
        nbformat.v4.new_code_cell(IMPORTS),
        nbformat.v4.new_markdown_cell("**Exercise 1.** Write `double(x)`, which returns 2x."),
        solution(DOUBLE, "double"),
        check_cell(DOUBLE_CHECK, "double", 1, "double(x) returns 2x"),
        nbformat.v4.new_markdown_cell("**Exercise 2.** Write `mean(xs)`, the average of xs."),
        solution(MEAN, "mean"),
        check_cell(MEAN_CHECK, "mean", 2, "mean(xs) averages a slice"),
    ]
    # Stable cell ids, so that rerunning this script gives the same file.
    for i, c in enumerate(nb.cells):
        c.id = f"cell-{i}"
    exercises.validate(nb, "instructor.ipynb")
    return nb


if __name__ == "__main__":
    nbformat.write(instructor(), HERE / "instructor.ipynb")
    print(f"wrote {HERE / 'instructor.ipynb'}")
