#!/usr/bin/env python3
"""Bulk grader for the lesson exercises.

    .venv/bin/python cmd/nbexec/grade.py --instructor NB --submissions DIR --out OUTDIR \\
        [--timeout SECONDS] [--workers N]

Grades every *.ipynb directly in DIR against the instructor notebook NB, so that no
submission can forge its grade or reach outside its sandbox:

1. Each submission is read (never written) and checked statically: a file that is not
   JSON, not a notebook, for another kernel, or whose check cells were deleted or
   reordered scores zero, with the reason. An edited check cell zeroes its exercise.
2. cmd/checkprog (bin/checkprog) writes the lesson's check program with the submission's
   solution cells, after rejecting cells that graded code may not contain (an init
   function, a package-level initialiser that runs code, a forbidden import such as os,
   printing, a redeclared lesson name...): each of those zeroes its exercise, with the
   reason. A cell that does not compile zeroes its exercise too, and the program is built
   again without it. The program is built with cgo off, so it is one static binary.
3. The binary runs once per check in a sandbox (sandbox.py: bubblewrap, a cgroup, resource
   limits, a time limit of --timeout seconds per check) with gankit/exercise in answer mode:
   each check calls only the learner's function and writes its outputs to a records file.
   Nothing the program prints is read.
4. The lesson's own check program, built once and run outside the sandbox in judge mode,
   computes the references, compares them with those answers and decides each check. The
   learner's code never runs in it.

Writes OUTDIR/grades.csv (file, one column per check id, total, max, reasons) and
OUTDIR/feedback/<submission>.html. Exit status 2, with one line on stderr, when the
arguments are wrong (missing folder, instructor notebook without checks, timeout <= 0...)
or the machine cannot sandbox (no bubblewrap).

Library: grade(instructor, submissions_dir, out_dir, timeout, workers) -> rows.
"""

import argparse
import csv
import html
import json
import math
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import nbexec  # noqa: E402  (sets the Jupyter environment variables first)
import exercises  # noqa: E402
import nbformat  # noqa: E402
import sandbox  # noqa: E402

REPO = HERE.parents[1]
DEFAULT_TIMEOUT = 60  # seconds per check, in the sandbox
BUILD_TIMEOUT = 600  # seconds to compile one check program
MAX_NOTEBOOK_BYTES = 50 * 2**20  # a larger submission is not read
MAX_REASON_CHARS = 300
FIXED_COLUMNS = ("file", "total", "max", "reasons")
CHECKPROG = REPO / "bin" / "checkprog"  # built by `make setup` from cmd/checkprog
# What the sandbox shows of the kit, read-only, at SANDBOX_KIT ($GANKIT_ROOT there): the shipped
# data sets a check may load (gankit/mnist finds data/ beside the kit's go.mod). Not the notebooks.
SANDBOX_KIT = "/kit"
KIT_BINDS = {REPO / "data": f"{SANDBOX_KIT}/data", REPO / "go.mod": f"{SANDBOX_KIT}/go.mod"}
# A compiler error in the check program, "./main.go:12:5: message".
COMPILE_ERROR = re.compile(r"^\.?/?main\.go:(\d+):(?:\d+:)? (.*)$", re.MULTILINE)


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


def edited_checks(sub, instructor, instructor_checks):
    """{check id: reason} for the check cells sub changed, or Reject when its check cells
    were deleted or reordered. Whitespace at line ends does not count as a change."""
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

    def norm(cell):
        return "\n".join(line.rstrip() for line in _source(cell).strip().splitlines())

    return {cid: "the check cell was edited: only the lesson's own check counts, and editing it scores zero"
            for cid, i in found.items() if norm(sub.cells[i]) != norm(official[cid])}


# ---------------------------------------------------------------- check programs

def _go_env(**extra):
    """The environment of the go command building a check program: cgo off, so that the
    program is one static binary that runs in an empty sandbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GANKIT_")}
    env.update(CGO_ENABLED="0", GOFLAGS="", **extra)
    return env


def write_program(instructor_path, out_dir, submission_path=None, exclude=None):
    """Runs checkprog: out_dir/main.go and the report {"checks", "rejected"}. A failure is a
    GradeError (the lesson, not the submission, is at fault) unless a submission is given."""
    if not CHECKPROG.is_file():
        raise GradeError(f"{CHECKPROG} is missing: run `make setup`")
    cmd = [str(CHECKPROG), "-lesson", str(instructor_path), "-out", str(out_dir)]
    if submission_path is not None:
        cmd += ["-submission", str(submission_path)]
    if exclude:
        cmd += ["-exclude", ";".join(f"{k}={' '.join(v.split(';'))}" for k, v in exclude.items())]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    if p.returncode != 0:
        msg = _short(p.stderr.strip() or f"exit status {p.returncode}", 400)
        if submission_path is None:
            raise GradeError(f"cannot write the lesson's check program: {msg}")
        raise Reject(f"cannot read the notebook's code: {msg}")
    return json.loads((Path(out_dir) / "report.json").read_text())


def compile_program(src_dir):
    """Builds src_dir/main.go (with go.mod and go.work pointing at this kit) into
    src_dir/check. Returns (True, "") or (False, the compiler's output)."""
    src_dir = Path(src_dir)
    (src_dir / "go.mod").write_text("module gankitcheck\n\ngo 1.27\n")
    (src_dir / "go.work").write_text(f"go 1.27\n\nuse (\n\t.\n\t{json.dumps(str(REPO))}\n)\n")
    try:
        p = subprocess.run(["go", "build", "-o", "check", "."], cwd=src_dir, capture_output=True, text=True,
                           timeout=BUILD_TIMEOUT, env=_go_env(GOWORK=str(src_dir / "go.work")))
    except subprocess.TimeoutExpired:
        return False, f"compiling took longer than {BUILD_TIMEOUT} s"
    return p.returncode == 0, p.stdout + p.stderr


def attribute(errors_text, source):
    """{exercise id: first compiler message} for the errors inside a submitted cell's or a
    check's markers (//gankit:begin ID ... //gankit:end ID) of the program's source."""
    lines = source.splitlines()
    owner, current = {}, None
    for n, line in enumerate(lines, 1):
        t = line.strip()
        if t.startswith("//gankit:begin "):
            current = t.split(" ", 1)[1]
        elif t.startswith("//gankit:end "):
            current = None
        elif current:
            owner[n] = current
    out = {}
    for m in COMPILE_ERROR.finditer(errors_text):
        ex = owner.get(int(m.group(1)))
        if ex and ex not in out:
            out[ex] = m.group(2)
    return out


class Judge:
    """The lesson's own check program, built once and run trusted in judge mode."""

    def __init__(self, instructor_path, work_dir):
        self.dir = Path(work_dir) / "judge"
        self.dir.mkdir(parents=True)
        self.checks = write_program(instructor_path, self.dir)["checks"]
        ok, out = compile_program(self.dir)
        if not ok:
            raise GradeError(f"the lesson's check program does not compile: {_short(out, 400)}")

    def __call__(self, answers_path, scratch):
        """{check id: Result dict} for the answers in answers_path."""
        records = Path(scratch) / "judged.jsonl"
        env = _go_env(GANKIT_EXERCISE_MODE="judge", GANKIT_EXERCISE_ANSWERS=str(answers_path),
                      GANKIT_EXERCISE_OUT=str(records))
        p = subprocess.run([str(self.dir / "check")], capture_output=True, text=True, env=env, timeout=BUILD_TIMEOUT)
        if p.returncode != 0:
            raise RuntimeError(f"the judge failed: {_short(p.stderr, 300)}")
        data = records.read_bytes() if records.exists() else b""
        return {r["id"]: r for r in _jsonl(data) if isinstance(r.get("id"), str)}


def _jsonl(data):
    """The JSON objects of the lines of data (bytes); other lines are skipped."""
    out = []
    for line in data.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict):
            out.append(rec)
    return out


def answer(sub_path, instructor_path, scratch, rejected, timeout):
    """Builds the submission's check program and runs each check in the sandbox, in answer
    mode. Returns ({check id: reason the check has no answer, if any}, answers file);
    rejected gets the reasons of the solution cells not used."""
    src = Path(scratch) / "answer"
    src.mkdir()
    exclude = {}
    for _ in range(64):  # each round excludes at least one more exercise
        report = write_program(instructor_path, src, sub_path, exclude)
        ok, out = compile_program(src)
        if ok:
            break
        culprits = attribute(out, (src / "main.go").read_text())
        fresh = {ex: msg for ex, msg in culprits.items() if ex not in exclude}
        if not fresh:
            raise Reject(f"the notebook's code does not compile: {_short(out, 300)}")
        for ex, msg in fresh.items():
            exclude[ex] = f"the solution does not compile: {msg}"
    rejected.update(report["rejected"])
    answers = Path(scratch) / "answers.jsonl"
    notes = {}
    limits = sandbox.Limits(wall_seconds=timeout, cpu_seconds=max(1, math.ceil(timeout)))
    with open(answers, "wb") as all_answers:
        for cid in report["checks"]:
            outcome = sandbox.run(src / "check", [cid], {"GANKIT_EXERCISE_MODE": "answer",
                                                        "GANKIT_EXERCISE_OUT": "/out/records",
                                                        "GANKIT_ROOT": SANDBOX_KIT,
                                                        "GOMAXPROCS": "2", "HOME": "/tmp"}, limits, KIT_BINDS)
            mine = [r for r in _jsonl(outcome.records) if r.get("id") == cid]
            if mine:
                all_answers.write(json.dumps(mine[-1]).encode() + b"\n")
            else:
                notes[cid] = _no_answer(outcome)
    return notes, answers


def _no_answer(outcome):
    """Why a check's run gave no answer, in words."""
    if outcome.reasons:
        return f"your code gave no answer: {outcome.reason}"
    tail = outcome.stderr.decode(errors="replace").strip().splitlines()
    last = next((line for line in tail if line.startswith(("panic:", "fatal error:"))), tail[-1] if tail else "")
    if outcome.returncode not in (0, None):
        return f"your code gave no answer: the program stopped with exit status {outcome.returncode}" + (
            f" ({_short(last, 200)})" if last else "")
    return "your code gave no answer: the program ended before the check (os.Exit, or an initialiser)"


# ---------------------------------------------------------------- scoring

def grade_one(path, instructor, instructor_path, instructor_checks, judge, timeout):
    """The row for one submission: {"file", <check id>: points, "total", "max", "reasons",
    "exercises": {check id: {"points", "max", "passed", "message", "hint", "reason", "title"}},
    "reason": notebook-level reason, "notes": [...], "seconds"}."""
    start = time.monotonic()
    path = Path(path)
    reason, notes, ex = None, [], None
    try:
        sub = read_submission(path)
        edited = edited_checks(sub, instructor, instructor_checks)
        with tempfile.TemporaryDirectory(prefix="gankit-grade-") as scratch:
            copy_path = Path(scratch) / "submission.ipynb"
            nbformat.write(sub, copy_path)  # what was validated, not the file, which may change
            rejected = {}
            no_answer, answers = answer(copy_path, instructor_path, scratch, rejected, timeout)
            results = judge(answers, scratch)
        ex = {}
        for _, c in instructor_checks:
            cid = c["id"]
            e = {"title": c["title"], "max": c["points"], "points": 0, "passed": False,
                 "message": "", "hint": "", "reason": ""}
            r = results.get(cid) or {}
            why = edited.get(cid) or rejected.get(cid) or no_answer.get(cid)
            e.update(message=r.get("message", ""), hint=r.get("hint", ""))
            if why:
                e.update(reason=_short(why), message=why)
            elif r.get("passed") is True:
                e.update(passed=True, points=c["points"])
            else:
                e["reason"] = _short(r.get("message") or "the check failed")
            ex[cid] = e
    except Reject as r:
        reason = str(r)
    except sandbox.SandboxError as e:
        raise GradeError(str(e)) from None
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
    row.update(exercises=ex, reason=reason, notes=notes, seconds=round(time.monotonic() - start, 1))
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

def grade(instructor, submissions_dir, out_dir, timeout=DEFAULT_TIMEOUT, workers=1, progress=None):
    """Grades every *.ipynb directly in submissions_dir against the instructor notebook and
    writes out_dir/grades.csv and out_dir/feedback/*.html. Returns the rows (see grade_one),
    sorted by file name. Raises GradeError for bad arguments, and when this machine cannot
    build or sandbox the check programs. progress(row) is called as each submission is
    done. timeout is the time limit of each check's run, in seconds."""
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
    try:
        sandbox.bwrap_path()
    except sandbox.SandboxError as e:
        raise GradeError(str(e)) from None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "feedback").mkdir(exist_ok=True)
    except OSError as e:
        raise GradeError(f"cannot create output folder {out_dir}: {e.strerror}") from None

    paths = sorted(p for p in sub_dir.glob("*.ipynb")
                   if not (p.is_file() and instructor.is_file() and os.path.samefile(p, instructor)))
    with tempfile.TemporaryDirectory(prefix="gankit-judge-") as work:
        # The lesson as it was read: the file may change while the class is graded.
        lesson = Path(work) / "lesson.ipynb"
        nbformat.write(inb, lesson)
        judge = Judge(lesson, work)

        def one(p):
            row = grade_one(p, inb, lesson, checks, judge, timeout)
            if progress:
                progress(row)
            return row

        with ThreadPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(one, paths))
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
                    help=f"time limit of each check's sandboxed run, in seconds (default {DEFAULT_TIMEOUT})")
    ap.add_argument("--workers", type=int, default=1, help="notebooks graded at a time (default 1)")
    args = ap.parse_args(argv)
    for opt in ("instructor", "submissions", "out"):
        if getattr(args, opt) is None:
            ap.error(f"--{opt} is required")
    def progress(row):
        extra = f" ({row['reason']})" if row["reason"] else ""
        print(f"{row['file']}: {row['total']}/{row['max']}{extra} [{row['seconds']} s]", file=sys.stderr, flush=True)

    def on_term(signum, frame):  # as on Ctrl-C: sandboxes die with their parent
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
