#!/usr/bin/env python3
"""Bulk grader for the lesson exercises.

    .venv/bin/python cmd/nbexec/grade.py --instructor NB --submissions DIR --out OUTDIR \\
        [--timeout SECONDS] [--workers N]

Grades every *.ipynb directly in DIR against the instructor notebook NB:

1. Each submission is read (never written) and checked statically: a file that is not
   JSON, not a notebook, for another kernel, or whose check cells were deleted or
   reordered scores zero, with the reason.
2. A graded copy is built in a fresh temporary folder: every check cell gets the
   instructor's source and metadata back (a student cannot weaken a check), the set-up
   cell points go.work at this repository by absolute path, outputs are cleared.
3. The copy runs headless in a worker subprocess (this script with --worker) in its own
   session, under a per-notebook time limit. Past the limit the worker, the GoNB kernel
   and the Go program are all killed and every exercise scores zero. The worker keeps
   going after failing cells, so a panic in one solution zeroes only the checks it
   breaks, and it keeps at most about 2 MB of a notebook's output. A check cell that ends
   cleanly without a result is run again (GoNB can lose a display sent just before exit).
4. Each check's result (gankit/exercise's display bundle, read by exercises.check_results)
   gives the instructor's points when it passed, else zero and the reason.

Writes OUTDIR/grades.csv (file, one column per check id, total, max, reasons) and
OUTDIR/feedback/<submission>.html. Exit status 2, with one line on stderr, when the
arguments are wrong (missing folder, instructor notebook without checks, timeout <= 0...).

Library: grade(instructor, submissions_dir, out_dir, timeout, workers) -> rows.
"""

import argparse
import copy
import csv
import ctypes
import html
import json
import math
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import nbexec  # noqa: E402  (sets the Jupyter environment variables first)
import exercises  # noqa: E402
import nbformat  # noqa: E402

REPO = HERE.parents[1]
DEFAULT_TIMEOUT = 600  # seconds per notebook
MAX_NOTEBOOK_BYTES = 50 * 2**20  # a larger submission is not read
MAX_OUTPUT_BYTES = 2 * 2**20  # outputs kept per notebook; the rest is dropped
CHECK_STDERR_BYTES = 64 * 2**10  # stderr kept per check cell past MAX_OUTPUT_BYTES
MAX_RESULT_BYTES = 256 * 2**10  # check results kept per notebook, apart from the rest
MAX_REASON_CHARS = 300
CHECK_RERUNS = 2  # times a check cell that ended cleanly without a result is run again
FIXED_COLUMNS = ("file", "total", "max", "reasons")
TOKEN_VAR = "GANKIT_GRADE_TOKEN"  # marks every process started for one submission

# The set-up cell of a graded copy: like the lessons', with the repository's absolute path.
SETUP_CELL = ("%noautoget\n"
              f"!*rm -f go.work && go work init && go work use . {shlex.quote(str(REPO))}\n"
              "%goworkfix")


class GradeError(ValueError):
    """The grader cannot run: bad arguments or a bad instructor notebook (exit status 2)."""


class Reject(Exception):
    """A submission scores zero without being run; the message is the reason."""


def _short(text, n=MAX_REASON_CHARS):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 3] + "..."


def _source(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else (s if isinstance(s, str) else "")


# ---------------------------------------------------------------- instructor and submissions

def load_instructor(path):
    """The instructor notebook and its checks [(cell index, {"id", "points", "title"})]."""
    path = Path(path)
    if not path.is_file():
        raise GradeError(f"instructor notebook {path} does not exist or is not a file")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # unreadable, not JSON, not a notebook
        raise GradeError(f"cannot read instructor notebook {path}: {_short(e, 200)}") from None
    try:
        exercises.validate(nb, path.name)
    except exercises.MarkupError as e:
        raise GradeError(f"instructor notebook: {e}") from None
    checks = exercises.checks(nb)
    if not checks:
        raise GradeError(f"instructor notebook {path} has no check cells")
    clash = [c["id"] for _, c in checks if c["id"] in FIXED_COLUMNS]
    if clash:
        raise GradeError(f"instructor notebook: check id {clash[0]!r} clashes with a column of grades.csv")
    return nb, checks


def read_submission(path):
    """The submission at path as a notebook, or Reject with the reason. Never writes it."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise Reject(f"cannot read the file: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):  # a folder, or a FIFO that would block the read
        raise Reject("not a regular file")
    if st.st_size > MAX_NOTEBOOK_BYTES:
        raise Reject(f"the file is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_NOTEBOOK_BYTES + 1)
    except OSError as e:
        raise Reject(f"cannot read the file: {e.strerror}") from None
    if len(raw) > MAX_NOTEBOOK_BYTES:
        raise Reject(f"the file is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise Reject(f"invalid JSON: line {e.lineno}, column {e.colno}: {e.msg}") from None
    except UnicodeDecodeError:
        raise Reject("invalid JSON: the file is not UTF-8 text") from None
    except RecursionError:
        raise Reject("invalid JSON: nested too deeply") from None
    if not isinstance(data, dict) or "cells" not in data or "metadata" not in data:
        raise Reject("not a Jupyter notebook (no cells or no metadata)")
    if data.get("nbformat") != 4:
        raise Reject(f"not a Jupyter notebook of format 4 (nbformat {_short(repr(data.get('nbformat')), 40)})")
    try:
        nb = nbformat.from_dict(data)
        with warnings.catch_warnings():  # e.g. missing cell ids: harmless here
            warnings.simplefilter("ignore")
            nbformat.validate(nb)
    except Exception as e:  # nbformat.ValidationError, or worse on odd input
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise Reject(f"not a valid notebook: {_short(first, 200)}") from None
    for cell in nb.cells:
        if isinstance(cell.get("source"), list):
            cell.source = "".join(cell.source)
    ks = nb.metadata.get("kernelspec")
    name = ks.get("name") if isinstance(ks, dict) else None
    if not isinstance(name, str):
        raise Reject("the notebook names no kernel (expected gonb)")
    if name != nbexec.KERNEL_NAME:
        raise Reject(f"the notebook is for the {_short(repr(name), 60)} kernel, not {nbexec.KERNEL_NAME}")
    return nb


def graded_copy(sub, instructor, instructor_checks):
    """The notebook to run for submission sub, or Reject when its check cells were deleted or
    reordered. Each check cell (the first cell with that id) gets the instructor's source and
    metadata; other cells lose any gankit markup (so only the restored cells count as checks);
    the set-up cell points at this repository; outputs are cleared. sub is not modified."""
    order = [c["id"] for _, c in instructor_checks]
    official = {c["id"]: instructor.cells[i] for i, c in instructor_checks}
    found = {}  # check id -> cell index in sub (first occurrence)
    for i, cell in enumerate(sub.cells):
        cid = exercises.check_id(cell)
        if cid in official and cid not in found:
            found[cid] = i
    missing = [cid for cid in order if cid not in found]
    if missing:
        raise Reject(f"check cell{'s' if len(missing) > 1 else ''} deleted: {', '.join(missing)}")
    got = sorted(found, key=found.get)
    if got != order:
        raise Reject(f"check cells reordered: {', '.join(got)} (expected {', '.join(order)})")

    g = copy.deepcopy(sub)
    at = {i: cid for cid, i in found.items()}
    for i, cell in enumerate(g.cells):
        if i in at:
            cell.source = _source(official[at[i]])
            cell.metadata = copy.deepcopy(official[at[i]].metadata)
        elif isinstance(cell.get("metadata"), dict):
            cell.metadata.pop("gankit", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    first = next((i for i, c in enumerate(g.cells) if c.cell_type == "code"), None)
    if first is not None and first not in at and "go work" in _source(g.cells[first]):
        g.cells[first].source = SETUP_CELL
    else:  # the student deleted the set-up cell: put one first
        setup = nbformat.v4.new_code_cell(SETUP_CELL)
        if g.get("nbformat_minor", 0) < 5:  # cell ids came with format 4.5
            setup.pop("id", None)
        g.cells.insert(0, setup)
    g.metadata["kernelspec"] = copy.deepcopy(instructor.metadata.get(
        "kernelspec", {"name": nbexec.KERNEL_NAME, "display_name": "Go (gonb)", "language": "go"}))
    return g


# ---------------------------------------------------------------- processes

def _proc_table():
    """{pid: (ppid, pgid)} of every process, from /proc."""
    table = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                s = f.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = s[s.rfind(")") + 2:].split()  # after "pid (comm) "
        try:
            table[int(d)] = (int(fields[1]), int(fields[2]))
        except (IndexError, ValueError):
            continue
    return table


def _marked(token):
    """Pids of processes whose environment carries TOKEN_VAR=token."""
    needle = f"{TOKEN_VAR}={token}".encode() + b"\0"
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) != os.getpid():
            try:
                with open(f"/proc/{d}/environ", "rb") as f:
                    if needle in f.read() + b"\0":
                        pids.append(int(d))
            except OSError:
                pass
    return pids


def kill_tree(root, include_root=True, token=None):
    """SIGKILL root's descendants (and root), the process groups they lead or share (the
    GoNB kernel runs in a session of its own), and any process marked with token.

    Everything is stopped first (SIGSTOP) until no new process appears, so nothing forks
    away between the walk and the kill. Our own process group is never signalled."""
    if not os.path.isdir("/proc"):  # not Linux: the worker's group is what we can reach
        try:
            os.killpg(root, signal.SIGKILL)
        except OSError:
            pass
        return
    me, my_group = os.getpid(), os.getpgrp()
    stopped, groups = set(), set()
    for _ in range(20):
        table = _proc_table()
        kids = {}
        for pid, (ppid, _) in table.items():
            kids.setdefault(ppid, []).append(pid)
        todo, stack = set(), [root]
        while stack:
            for c in kids.get(stack.pop(), []):
                if c not in todo and c != me:
                    todo.add(c)
                    stack.append(c)
        if include_root and root in table:
            todo.add(root)
        if token:
            todo.update(_marked(token))
        todo -= stopped
        if not todo:
            break
        for pid in todo:
            if pid in table:
                groups.add(table[pid][1])
            try:
                os.kill(pid, signal.SIGSTOP)
            except OSError:
                pass
        stopped |= todo
    for pid in stopped:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    for pgid in groups:
        if pgid > 1 and pgid != my_group:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except OSError:
                pass


def _become_subreaper():
    """Orphaned descendants (a daemon a cell started) are re-parented to this process, so
    kill_tree from here still finds them. Linux only; elsewhere a no-op."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass


# ---------------------------------------------------------------- worker (runs in a subprocess)

def _make_capped_client():
    from nbclient import NotebookClient

    class CappedClient(NotebookClient):
        """A NotebookClient that keeps at most MAX_OUTPUT_BYTES of a notebook's outputs and
        drops the rest, with one note where it starts dropping. Kept apart from that budget:
        check results (up to MAX_RESULT_BYTES), error outputs (truncated; one per executed
        cell at most) and the first CHECK_STDERR_BYTES of each check cell's stderr, so that a
        flood of output elsewhere does not hide why a check failed. Widget (comm) messages
        are ignored: grading needs none, and their state would pile up."""

        def __init__(self, nb, **kw):
            super().__init__(nb, **kw)
            self.left = MAX_OUTPUT_BYTES
            self.results_left = MAX_RESULT_BYTES
            self.check_stderr_left = {}  # cell index -> bytes
            self.dropped = 0

        def _drop(self, size, cell):
            if not self.dropped:
                cell.outputs.append(nbformat.v4.new_output(
                    "stream", name="stderr",
                    text=f"\n[grader: this notebook's output passed {MAX_OUTPUT_BYTES // 2**20} MB; "
                         "the rest of it was dropped]\n"))
            self.dropped += max(size, 1)

        def _stream(self, content, cell, cell_index):
            """Trims a stream message to what may be kept; returns the bytes cut."""
            text = content.get("text") or ""
            if not isinstance(text, str):
                text = str(text)
            room = self.left
            if content.get("name") == "stderr" and exercises.check_id(cell):
                room += self.check_stderr_left.setdefault(cell_index, CHECK_STDERR_BYTES)
            keep = text[:max(room, 0)]
            spent = len(keep)
            from_left = min(spent, self.left)
            self.left -= from_left
            if spent > from_left:
                self.check_stderr_left[cell_index] -= spent - from_left
            content["text"] = keep
            return len(text) - len(keep)

        def process_message(self, msg, cell, cell_index):
            kind = msg.get("msg_type", "")
            content = msg.get("content")
            if not isinstance(content, dict) or kind.startswith("comm"):
                return None
            if kind == "stream":
                cut = self._stream(content, cell, cell_index)
                out = super().process_message(msg, cell, cell_index) if content["text"] else None
                if cut:
                    self._drop(cut, cell)
                return out
            elif kind == "error":
                content["ename"] = str(content.get("ename", ""))[:200]
                content["evalue"] = str(content.get("evalue", ""))[:2000]
                tb = content.get("traceback")
                content["traceback"] = [str(t)[:2000] for t in (tb if isinstance(tb, list) else [])[:10]]
            elif kind in ("display_data", "execute_result", "update_display_data"):
                data = content.get("data")
                if not isinstance(data, dict):
                    return None
                sizes = {k: len(v) if isinstance(v, str) else len(json.dumps(v)) for k, v in data.items()}
                size = sum(sizes.values())
                rsize = sizes.get(exercises.RESULT_MIME)
                if rsize is not None and rsize <= min(64 * 2**10, self.results_left):
                    # A check's result: kept apart from the budget, with its text line.
                    self.results_left -= rsize
                    keep = {exercises.RESULT_MIME: data[exercises.RESULT_MIME]}
                    if isinstance(data.get("text/plain"), str):
                        keep["text/plain"] = data["text/plain"][:2000]
                    content["data"], content["metadata"] = keep, {}
                elif size <= self.left:
                    self.left -= size
                else:
                    self._drop(size, cell)
                    return None
            return super().process_message(msg, cell, cell_index)

    return CappedClient


def _has_result(cell, check_id):
    return any((r := exercises.parse_result(o)) is not None and r["id"] == check_id
               for o in cell.get("outputs", []))


def run_notebook(nb, cwd, timeout):
    """Executes nb (in place) in folder cwd with the GoNB kernel, going on after failing
    cells. Returns {"note": why execution stopped early or None, "dropped_output_bytes",
    "check_reruns"}.

    A check cell that ends cleanly but shows no result is run again (up to CHECK_RERUNS
    times): GoNB closes its pipe from the Go program when the program exits, so a display
    sent just before the exit can be lost, and under load it sometimes is. The check cells
    are the instructor's, so running one again is safe."""
    from nbclient.exceptions import DeadKernelError, CellTimeoutError

    timeout = max(1, math.ceil(timeout))  # nbclient wants whole seconds
    client = _make_capped_client()(
        nb, kernel_name=nbexec.KERNEL_NAME, timeout=timeout, startup_timeout=timeout,
        allow_errors=True, resources={"metadata": {"path": str(cwd)}})
    note, reruns = None, 0
    try:
        with client.setup_kernel(stderr=subprocess.DEVNULL):
            for index, cell in enumerate(nb.cells):
                for attempt in range(1 + CHECK_RERUNS):
                    client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                    cid = exercises.check_id(cell)
                    if not cid or _has_result(cell, cid) or nbexec.cell_problems(cell, index):
                        break
                    reruns += attempt < CHECK_RERUNS
    except DeadKernelError:
        note = "the kernel died"
    except CellTimeoutError:
        note = f"a cell ran past {timeout} s"
    except Exception as e:
        note = f"execution aborted: {type(e).__name__}: {_short(e, 200)}"
    return {"note": note, "dropped_output_bytes": client.dropped, "check_reruns": reruns}


def _worker(workdir, timeout):
    """Worker mode: runs workdir/work/*.ipynb, writes workdir/executed.ipynb."""
    _become_subreaper()
    workdir = Path(workdir)
    src = next((workdir / "work").glob("*.ipynb"))
    nb = nbformat.read(src, as_version=4)
    try:
        nb.metadata["gankit_grader"] = run_notebook(nb, workdir / "work", timeout)
    finally:
        kill_tree(os.getpid(), include_root=False)  # daemons the notebook left behind
    tmp = workdir / "executed.ipynb.tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, workdir / "executed.ipynb")
    return 0


def _wait_unreaped(proc, timeout):
    """Waits up to timeout seconds for proc to exit, without reaping it (so that its pid
    cannot be reused while we still signal it). True if it exited."""
    if not hasattr(os, "waitid"):
        try:
            proc.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    deadline, delay = time.monotonic() + timeout, 0.02
    while True:
        if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(delay, left))
        delay = min(delay * 2, 0.25)


class _Runs:
    """The worker processes running now, so that an interrupted grade() kills them all."""

    def __init__(self):
        self.lock = threading.Lock()
        self.procs = {}
        self.cancelled = False

    def kill_all(self):
        with self.lock:
            self.cancelled = True
            for proc, token in list(self.procs.values()):
                kill_tree(proc.pid, True, token)


def execute_in_worker(nb, name, timeout, runs=None):
    """Runs graded copy nb in a worker subprocess, in a fresh temporary folder that is
    removed afterwards. Returns (executed notebook or None, notebook-level reason or None)."""
    base = Path(tempfile.mkdtemp(prefix="gankit-grade-"))
    token = uuid.uuid4().hex
    try:
        for d in ("work", "tmp", "runtime"):
            (base / d).mkdir()
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(name).stem)[:100]
        nbformat.write(nb, base / "work" / f"{safe or 'submission'}.ipynb")
        env = dict(os.environ, TMPDIR=str(base / "tmp"), JUPYTER_RUNTIME_DIR=str(base / "runtime"),
                   **{TOKEN_VAR: token})
        env.pop("GANKIT_CHECK_FAIL", None)  # a failed check only reports (gankit/exercise FailEnv)
        with open(base / "worker.log", "wb") as log:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(base),
                   "--timeout", str(timeout)]
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    env=env, cwd=base, start_new_session=True)
            if runs is not None:
                with runs.lock:
                    runs.procs[id(proc)] = (proc, token)
                    if runs.cancelled:
                        kill_tree(proc.pid, True, token)
            try:
                timed_out = not _wait_unreaped(proc, timeout)
            finally:
                # The worker is not reaped yet, so its pid (and group id) are still its own.
                if runs is not None:
                    with runs.lock:
                        runs.procs.pop(id(proc), None)
                kill_tree(proc.pid, True, token)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # the worker's own session
                except OSError:
                    pass
                proc.wait()
        if timed_out:
            return None, f"time limit of {timeout:g} s exceeded"
        out = base / "executed.ipynb"
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size > 4 * MAX_OUTPUT_BYTES + MAX_NOTEBOOK_BYTES:
            with open(base / "worker.log", "rb") as log:
                log.seek(max(0, log.seek(0, os.SEEK_END) - 2000))
                tail = log.read().decode("utf-8", "replace").strip().splitlines()
            return None, f"the grader could not run the notebook (worker exit status {proc.returncode}" + \
                (f": {_short(tail[-1], 200)})" if tail else ")")
        return nbformat.read(out, as_version=4), None
    finally:
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------- scoring

# A compiler message in GoNB's error report: "Cell[6]: Line 2 ./main.go:17:83: undefined: mean".
COMPILE_ERROR = re.compile(r"^Cell\[\d+\]: Line \d+ \S+\.go:\d+:\d+: (.*)")


def _problem_detail(problem):
    """The most telling line of an nbexec.cell_problems string: the panic or exit status,
    else the first compiler message, else the first line of detail."""
    lines = [l.strip() for l in problem.splitlines()]
    detail = [l for l in lines[1:] if l and not l.startswith("# ")]  # "# <package>" from go build
    for l in detail:
        if nbexec.STDERR_FAILURE.match(l):
            return l
    for l in detail:
        m = COMPILE_ERROR.match(l)
        if m:
            return f"compile error: {m.group(1)}"
    if detail:
        return detail[0]
    return lines[0].split(": ", 1)[-1] if lines else problem


def score(executed, instructor_checks, note=None):
    """{check id: {"points", "max", "passed", "message", "hint", "reason", "title"}} for an
    executed graded copy; note is why execution stopped early, if it did."""
    results = exercises.check_results(executed)
    where = {c["id"]: i for i, c in exercises.checks(executed)}
    out = {}
    for _, c in instructor_checks:
        cid, r = c["id"], results.get(c["id"])
        e = {"title": c["title"], "max": c["points"], "points": 0, "passed": False,
             "message": "", "hint": "", "reason": ""}
        if r is not None:
            e.update(message=r["message"], hint=r["hint"], passed=r["passed"])
            if r["passed"]:
                e["points"] = c["points"]
            else:
                e["reason"] = _short(r["message"]) or "the check failed"
        else:
            i = where.get(cid)
            cell = executed.cells[i] if i is not None else {}
            problems = nbexec.cell_problems(cell, i) if i is not None else []
            if problems:
                why = _problem_detail(problems[0])
            elif note and not cell.get("outputs") and cell.get("execution_count") is None:
                why = f"not run: {note}"
            else:
                why = "the cell ran but sent none"
            e["reason"] = _short(f"the check produced no result ({why})")
            e["message"] = e["reason"]
        out[cid] = e
    return out


def grade_one(path, instructor, instructor_checks, timeout, runs=None):
    """The row for one submission: {"file", <check id>: points, "total", "max", "reasons",
    "exercises": score(...), "reason": notebook-level reason, "notes": [...],
    "check_reruns": check cells run again for a lost result, "seconds"}."""
    start = time.monotonic()
    path = Path(path)
    reason, notes, ex, reruns = None, [], None, 0
    try:
        sub = read_submission(path)
        nb = graded_copy(sub, instructor, instructor_checks)
        executed, reason = execute_in_worker(nb, path.name, timeout, runs)
        if executed is not None:
            meta = executed.metadata.get("gankit_grader") or {}
            reruns = meta.get("check_reruns", 0)
            ex = score(executed, instructor_checks, meta.get("note"))
            if meta.get("note"):
                notes.append(f"execution stopped early: {meta['note']}")
            if meta.get("dropped_output_bytes"):
                notes.append(f"the notebook's output passed {MAX_OUTPUT_BYTES // 2**20} MB: "
                             f"{meta['dropped_output_bytes']} more bytes of it were not kept "
                             "(the checks' results were, so this does not change the grade)")
    except Reject as r:
        reason = str(r)
    except Exception as e:  # a bug, or input odder than foreseen: zero this one, go on
        ex, notes = None, []
        reason = f"the grader failed on this notebook: {type(e).__name__}: {_short(e, 200)}"
    if ex is None:
        ex = {c["id"]: {"title": c["title"], "max": c["points"], "points": 0, "passed": False,
                        "message": "", "hint": "", "reason": reason} for _, c in instructor_checks}
    row = {"file": path.name}
    row.update({cid: e["points"] for cid, e in ex.items()})
    row["total"] = sum(e["points"] for e in ex.values())
    row["max"] = sum(e["max"] for e in ex.values())
    row["reasons"] = reason if reason else "; ".join(
        f"{cid}: {e['reason']}" for cid, e in ex.items() if not e["passed"])
    row.update(exercises=ex, reason=reason, notes=notes, check_reruns=reruns,
               seconds=round(time.monotonic() - start, 1))
    return row


# ---------------------------------------------------------------- outputs

FEEDBACK_CSS = """body { font-family: sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
.ex { border: 1px solid #ccc; border-radius: 4px; padding: 0.5em 1em; margin: 1em 0; }
.pass { border-left: 6px solid #2a2; } .fail { border-left: 6px solid #c22; }
.reason { background: #fee; padding: 0.5em; } .note { background: #ffd; padding: 0.5em; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0.3em 0; }"""


def feedback_html(row, title):
    e = html.escape
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>Feedback: {e(row['file'])}</title><style>{FEEDBACK_CSS}</style></head><body>",
             f"<h1>{e(title)}</h1>", f"<p>Submission <code>{e(row['file'])}</code>: "
             f"<strong>{row['total']} / {row['max']}</strong> points.</p>"]
    if row["reason"]:
        parts.append(f"<p class=\"reason\">Your notebook was not graded normally: {e(row['reason'])}</p>")
    for note in row["notes"]:
        parts.append(f"<p class=\"note\">Note: {e(note)}</p>")
    for cid, x in row["exercises"].items():
        mark = "✔" if x["passed"] else "✘"
        parts.append(f"<div class=\"ex {'pass' if x['passed'] else 'fail'}\">"
                     f"<h2>{mark} {e(x['title'])} <small>({e(cid)})</small></h2>"
                     f"<p>{x['points']} / {x['max']} points</p>")
        msg = x["message"] or x["reason"]
        if msg:
            parts.append(f"<pre>{e(msg[:4000])}</pre>")
        if x["hint"] and not x["passed"]:
            parts.append(f"<p><em>{e(x['hint'][:2000])}</em></p>")
        parts.append("</div>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def csv_safe(v):
    """v for a CSV cell: text that a spreadsheet would read as a formula (a student's file
    name or an error message starting with =, +, -, @) gets a leading apostrophe."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def write_outputs(rows, instructor_checks, out_dir, title):
    out_dir = Path(out_dir)
    ids = [c["id"] for _, c in instructor_checks]
    fields = ["file", *ids, "total", "max", "reasons"]
    with open(out_dir / "grades.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows({k: csv_safe(row.get(k, "")) for k in fields} for row in rows)
    fb = out_dir / "feedback"
    fb.mkdir(exist_ok=True)
    for row in rows:
        (fb / f"{Path(row['file']).stem}.html").write_text(feedback_html(row, title), encoding="utf-8")


# ---------------------------------------------------------------- grade

def _check_kernel():
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        KernelSpecManager().get_kernel_spec(nbexec.KERNEL_NAME)
    except NoSuchKernel:
        raise GradeError(f"no {nbexec.KERNEL_NAME!r} kernelspec is installed (run `make setup`)") from None


def grade(instructor, submissions_dir, out_dir, timeout=DEFAULT_TIMEOUT, workers=1, progress=None):
    """Grades every *.ipynb directly in submissions_dir against the instructor notebook and
    writes out_dir/grades.csv and out_dir/feedback/*.html. Returns the rows (see grade_one),
    sorted by file name. Raises GradeError for bad arguments. progress(row) is called as
    each submission is done."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) \
            or not math.isfinite(timeout) or timeout <= 0:
        raise GradeError(f"the time limit must be a number of seconds > 0, got {timeout!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise GradeError(f"workers must be an integer >= 1, got {workers!r}")
    sub_dir = Path(submissions_dir)
    if not sub_dir.is_dir():
        raise GradeError(f"submissions folder {sub_dir} does not exist or is not a folder")
    instructor = Path(instructor)
    inb, checks = load_instructor(instructor)
    out_dir = Path(out_dir)
    sub_real, out_real = sub_dir.resolve(), out_dir.resolve()
    if out_real == sub_real or sub_real in out_real.parents:
        raise GradeError(f"output folder {out_dir} is inside the submissions folder {sub_dir}")
    _check_kernel()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "feedback").mkdir(exist_ok=True)
    except OSError as e:
        raise GradeError(f"cannot create output folder {out_dir}: {e.strerror}") from None

    paths = sorted(p for p in sub_dir.glob("*.ipynb")
                   if not (p.is_file() and instructor.is_file() and os.path.samefile(p, instructor)))
    runs = _Runs()

    def one(p):
        row = grade_one(p, inb, checks, timeout, runs)
        if progress:
            progress(row)
        return row

    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        rows = list(pool.map(one, paths))
    except BaseException:
        runs.kill_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    title, _ = nbexec.notebook_title_and_summary(inb, instructor.stem)
    write_outputs(rows, checks, out_dir, title)
    return rows


# ---------------------------------------------------------------- CLI

class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2
        print(f"grade.py: error: {message}", file=sys.stderr)
        sys.exit(2)


def main(argv=None):
    ap = _Parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instructor", help="the instructor notebook (with solutions and check cells)")
    ap.add_argument("--submissions", help="folder of submitted notebooks (*.ipynb, not recursive)")
    ap.add_argument("--out", help="folder for grades.csv and feedback/ (not inside --submissions)")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                    help=f"time limit per notebook in seconds (default {DEFAULT_TIMEOUT})")
    ap.add_argument("--workers", type=int, default=1, help="notebooks run at a time (default 1)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)  # internal: run one graded copy
    args = ap.parse_args(argv)
    if args.worker:
        return _worker(args.worker, args.timeout)
    for opt in ("instructor", "submissions", "out"):
        if getattr(args, opt) is None:
            ap.error(f"--{opt} is required")
    def progress(row):
        extra = f" ({row['reason']})" if row["reason"] else ""
        print(f"{row['file']}: {row['total']}/{row['max']}{extra} [{row['seconds']} s]", file=sys.stderr, flush=True)

    def on_term(signum, frame):  # kill the workers as on Ctrl-C (grade() does)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        rows = grade(args.instructor, args.submissions, args.out, args.timeout, args.workers, progress)
    except GradeError as e:
        print(f"grade.py: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("grade.py: interrupted; no grades written", file=sys.stderr)
        return 130
    print(f"graded {len(rows)} notebook(s): {Path(args.out) / 'grades.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
