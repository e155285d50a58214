"""Exercises in the lesson notebooks: their markup, the student versions, the check results.

Markup (in the instructor notebooks in notebooks/):

* A **solution cell** is a code cell with metadata ``{"gankit": {"solution": "<id>"}}``. The
  learner's part lies between a line ``// BEGIN SOLUTION`` and a line ``// END SOLUTION``
  (nbgrader's convention); a cell may hold several such regions.
* A **check cell** is a code cell with metadata
  ``{"gankit": {"check": "<id>", "points": <int>, "title": "<what the learner writes>"}}``.
  It calls the Go package gankit/exercise (exercise.Func, Slice, Value), which prints a pass/fail line and sends a result of type RESULT_MIME.

Both kinds also carry nbgrader's metadata (``nbgrader_metadata``), so an instructor who runs
nbgrader can use the notebooks with it.

The **student version** of a notebook replaces every solution region by a stub that compiles
and fails its check (``// YOUR CODE HERE`` and ``panic("not implemented")``), clears the
outputs, and points the set-up cell's fallback (used where the kernel has no ``GANKIT_ROOT``)
at the repository from ``lessons/exercises/``.
"""

import copy
import sys
import json
import re
from pathlib import Path

import nbformat

BEGIN = "// BEGIN SOLUTION"
END = "// END SOLUTION"
STUB = ["// YOUR CODE HERE", 'panic("not implemented")']
RESULT_MIME = "application/vnd.gankit.check+json"

# The set-up cell of a lesson points go.work at the kit: at $GANKIT_ROOT, which the kernelspec
# sets (nbexec.py install-kernel), so that a notebook finds the kit from any folder (an nbgrader
# course, a learner's home); without it, at the relative path: "${GONB_DIR}/.." from
# notebooks/, one level further up from lessons/exercises/.
SETUP_REPO = '"${GANKIT_ROOT:-${GONB_DIR}/..}"'
STUDENT_SETUP_REPO = '"${GANKIT_ROOT:-${GONB_DIR}/../..}"'


class MarkupError(ValueError):
    """A notebook's exercise markup is inconsistent."""


def _source(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _meta(cell):
    m = cell.get("metadata", {})
    m = m.get("gankit") if isinstance(m, dict) else None
    return m if isinstance(m, dict) else {}


def check_id(cell):
    """The id of a check cell: a code cell whose metadata.gankit.check is a string; else None."""
    g = _meta(cell)
    if cell.get("cell_type") == "code" and isinstance(g.get("check"), str):
        return g["check"]
    return None


def nbgrader_metadata(kind, ex_id, points=0):
    """nbgrader's cell metadata for a solution cell or a check cell (kind "solution" or "check")."""
    if kind == "solution":
        return {"grade": False, "grade_id": f"{ex_id}-solution", "locked": False,
                "schema_version": 3, "solution": True, "task": False}
    return {"grade": True, "grade_id": ex_id, "locked": True, "points": points,
            "schema_version": 3, "solution": False, "task": False}


def checks(nb):
    """The check cells of nb, in order: a list of (cell index, {"id", "points", "title"})."""
    out = []
    for i, cell in enumerate(nb.cells):
        m = _meta(cell)
        if cell.cell_type == "code" and "check" in m:
            out.append((i, {"id": m["check"], "points": m.get("points", 0), "title": m.get("title", "")}))
    return out


def solutions(nb):
    """The solution cells of nb: a list of (cell index, exercise id)."""
    return [(i, _meta(c)["solution"]) for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and "solution" in _meta(c)]


def validate(nb, name="notebook"):
    """Raise MarkupError unless nb's exercise markup is consistent.

    Every check has a unique id, positive integer points and a title; every solution cell
    names a check that comes after it, holds at least one region, and its markers pair up,
    each alone on its line. No other cell, markdown included, has a line with a marker:
    nbgrader takes any line that contains one for the start or end of a solution region.
    """
    seen = {}
    for i, c in checks(nb):
        where = f"{name}, cell {i}"
        if not isinstance(c["id"], str) or not re.fullmatch(r"[0-9a-z][0-9a-z-]*", c["id"]):
            raise MarkupError(f"{where}: check id {c['id']!r} must be lowercase letters, digits and '-'")
        if c["id"] in seen:
            raise MarkupError(f"{where}: check id {c['id']!r} repeats cell {seen[c['id']]}")
        if not isinstance(c["points"], int) or isinstance(c["points"], bool) or c["points"] < 1:
            raise MarkupError(f"{where}: check {c['id']!r} needs integer points >= 1, got {c['points']!r}")
        if not c["title"]:
            raise MarkupError(f"{where}: check {c['id']!r} needs a title")
        seen[c["id"]] = i
    for i, ex_id in solutions(nb):
        where = f"{name}, cell {i}"
        if ex_id not in seen or seen[ex_id] < i:
            raise MarkupError(f"{where}: solution for {ex_id!r} has no check cell after it")
        if _regions(_source(nb.cells[i]), where) == 0:
            raise MarkupError(f"{where}: solution cell has no {BEGIN!r} ... {END!r} region")
    sol = {i for i, _ in solutions(nb)}
    for i, cell in enumerate(nb.cells):
        if i in sol:
            continue
        for k, line in enumerate(_source(cell).splitlines(), 1):
            for marker in (BEGIN, END):
                if marker in line:
                    raise MarkupError(f"{name}, cell {i}, line {k}: {marker!r} outside a solution cell "
                                      "(nbgrader would take the line for a solution marker)")


def _regions(src, where):
    depth, n = 0, 0
    for k, line in enumerate(src.splitlines(), 1):
        s = line.strip()
        if s == BEGIN:
            if depth:
                raise MarkupError(f"{where}, line {k}: {BEGIN!r} inside another solution region")
            depth, n = 1, n + 1
        elif s == END:
            if not depth:
                raise MarkupError(f"{where}, line {k}: {END!r} without {BEGIN!r}")
            depth = 0
        elif BEGIN in s or END in s:
            raise MarkupError(f"{where}, line {k}: a solution marker must stand alone on its line")
    if depth:
        raise MarkupError(f"{where}: {BEGIN!r} without {END!r}")
    return n


def stub_solutions(src):
    """src with every solution region replaced by STUB, indented like its BEGIN line."""
    out, inside = [], False
    for line in src.splitlines():
        s = line.strip()
        if s == BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + l for l in STUB)
            inside = True
        elif s == END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def student_version(nb, name="notebook"):
    """The student version of instructor notebook nb (which is not modified)."""
    validate(nb, name)
    st = copy.deepcopy(nb)
    sol = {i for i, _ in solutions(st)}
    setup_done = False
    for i, cell in enumerate(st.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        src = _source(cell)
        if i in sol:
            src = stub_solutions(src)
        if not setup_done:
            setup_done = True
            if SETUP_REPO not in src:
                raise MarkupError(f"{name}: the first code cell is not the set-up cell (no {SETUP_REPO})")
            src = src.replace(SETUP_REPO, STUDENT_SETUP_REPO)
        cell.source = src
    return st


def write_student_versions(paths, out_dir):
    """Write the student version of each notebook in paths to out_dir (same file name).

    Notebooks without exercises are skipped. Returns the paths written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for p in paths:
        p = Path(p)
        nb = nbformat.read(p, as_version=4)
        if not checks(nb):
            continue
        target = out_dir / p.name
        nbformat.write(student_version(nb, p.name), target)
        written.append(target)
    return written


def parse_result(output):
    """The check result carried by one cell output, or None."""
    data = output.get("data", {}) if output.get("output_type") in ("display_data", "execute_result") else {}
    raw = data.get(RESULT_MIME)
    if raw is None:
        return None
    try:
        r = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    if not isinstance(r, dict) or not isinstance(r.get("id"), str) or not isinstance(r.get("passed"), bool):
        return None
    return {"id": r["id"], "passed": r["passed"], "message": str(r.get("message", "")), "hint": str(r.get("hint", ""))}


def check_results(nb):
    """The results of nb's check cells: {check id: result dict}.

    Only a result with the check's own id, in that check's own cell, counts; with several,
    the last one. A check cell that produced none is absent from the dict.
    """
    out = {}
    for i, c in checks(nb):
        for o in nb.cells[i].get("outputs", []):
            r = parse_result(o)
            if r is not None and r["id"] == c["id"]:
                out[c["id"]] = r
    return out


def exercise_cells(nb):
    """A copy of nb reduced to what its exercises need: the first two code cells (every
    lesson starts with the set-up cell and the imports cell) and the solution and check
    cells. Executing it checks the exercises in seconds instead of re-running the lesson."""
    keep = set([i for i, c in enumerate(nb.cells) if c.cell_type == "code"][:2])
    keep |= {i for i, _ in solutions(nb)} | {i for i, _ in checks(nb)}
    out = copy.deepcopy(nb)
    out.cells = [c for i, c in enumerate(out.cells) if i in keep]
    return out


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description="Write the student versions of the lesson notebooks.")
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--out", default="lessons/exercises")
    args = ap.parse_args(argv)
    try:
        for p in write_student_versions(args.notebooks, args.out):
            print("wrote", p)
    except (MarkupError, OSError, ValueError) as e:
        print(f"exercises: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
