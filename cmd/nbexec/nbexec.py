#!/usr/bin/env python3
"""Headless runner for the GoNB lesson notebooks.

Library:
    execute(path, timeout=2400) -> (executed_notebook, problems)
    export(paths, out_dir, instructor=False, students=None) -> {path: problems}
    syllabus_entry(notebook, filename) -> dict (what the index says about one lesson)

CLI (run with the project venv's python, see the Makefile):
    nbexec.py run notebooks/*.ipynb
    nbexec.py export --out lessons --students lessons/exercises notebooks/*.ipynb   # public site
    nbexec.py export --out instructor-site --instructor notebooks/*.ipynb          # with solutions
    nbexec.py install-kernel --gonb bin/gonb --path-prepend bin:/usr/local/go/bin [--goexperiment simd] [--gotoolchain go1.27.3] [--kit-root .]

`export` executes the notebooks and, if all ran clean, writes one page per lesson
(nbconvert's lab template; figures embedded as PNG; math typeset by a copy of MathJax 2.7
in out/mathjax/, so nothing is loaded from the network; previous/next/index links; a footer,
FOOTER, with the kit's version, the licences of the text, figures and code, and the data's credits) and
index.html, the syllabus: for each lesson its number and title, what it teaches (the first
paragraph), the estimated time (the "Estimated time: ..." line of its first markdown cell)
and its exercises (the check cells, metadata.gankit = {"check", "points", "title"}) with
their points, or "no exercises yet".

Two editions. The public site (the default) must show no solution: with --students DIR,
each instructor notebook given is replaced by its student version DIR/<name> (written by
exercises.py; it must be up to date), whose stubs panic "not implemented" and whose checks
print their failed line; a notebook that still holds a "// BEGIN SOLUTION" region is
refused. --instructor exports the notebooks as given, solutions included, and marks every
page and the index as the instructor version.

GoNB answers "ok" to some failures and only writes them to stderr, so besides
"error" outputs we also scan each cell's stderr for Go panics, non-zero exit
statuses and fatal signals, and GoNB's HTML-rendered error reports.
See README.md for what GoNB emits for each kind of failure.
"""

import argparse
import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

# Prefer the kernelspec installed in this venv over any in ~/.local/share/jupyter.
os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")
# Kernel connection files go inside the venv, not into ~/.local/share/jupyter/runtime.
os.environ.setdefault("JUPYTER_RUNTIME_DIR", str(Path(sys.prefix) / "jupyter-user" / "runtime"))

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

import exercises  # noqa: E402

KERNEL_NAME = "gonb"
# Seconds per cell: a guard against hangs, not a speed limit. Lesson 3's sweep cell took
# about 4 minutes on a fast day of this project's 2-core VM and over 15 on a slow one
# (2026-11-29), where the old 900 s limit failed it.
DEFAULT_TIMEOUT = 2400

# Lines in a cell's stderr that mean the Go program (or a `!` shell command) failed.
STDERR_FAILURE = re.compile(
    r"^(panic: |fatal error: |exit status \d+|signal: \w+)", re.MULTILINE
)
# GoNB renders errors as HTML (unless started with --raw_error); its markup uses these.
HTML_ERROR_MARKERS = ("gonb-err-", 'data-mime-type="application/vnd.jupyter.stderr"')
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _Stop(Exception):
    """Raised from the cell hook to stop executing after the first problem."""


def _text(x):
    return "".join(x) if isinstance(x, list) else (x or "")


def _first_lines(text, n=6):
    lines = [l.rstrip() for l in ANSI.sub("", text).strip().splitlines() if l.strip()]
    more = ["..."] if len(lines) > n else []
    return "\n".join(lines[:n] + more)


def _html_to_text(s):
    s = re.sub(r"(?s)<style.*?</style>|<script.*?</script>", "", s)
    # Drop GoNB's hover pop-ups with the code around each compile error.
    s = re.sub(r'(?s)<div class="gonb-err-context">.*?<div class="gonb-err-line">.*?</div>.*?</div>', "", s)
    s = re.sub(r"<br\s*/?>|</div>|</p>", "\n", s)
    return html.unescape(re.sub(r"<[^>]+>", "", s))


def cell_problems(cell, index, reply=None):
    """Returns [] or a one-element list describing what went wrong in an executed code cell."""
    found = []  # (label, detail), most informative detail first
    stderr, errors = "", []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "error":
            errors.append((f"error output ({out.get('ename')}: {out.get('evalue')})",
                           "\n".join(out.get("traceback", []))))
        elif kind == "stream" and out.get("name") == "stderr":
            stderr += _text(out.get("text"))
        elif kind in ("display_data", "execute_result"):
            h = _text(out.get("data", {}).get("text/html", ""))
            if any(m in h for m in HTML_ERROR_MARKERS):
                found.append(("GoNB error report (HTML)", _html_to_text(h)))
    # GoNB splits stderr into several stream messages: match on the joined text.
    clean = ANSI.sub("", stderr)
    m = STDERR_FAILURE.search(clean)
    if m:
        before = clean[:m.start()].splitlines()[-3:]  # e.g. the log.Fatal message
        found.insert(0, (f"stderr: {clean[m.start():].splitlines()[0].strip()}",
                         "\n".join(before + [clean[m.start():]])))
    found += errors
    status = (reply or {}).get("content", {}).get("status")
    if status not in (None, "ok"):
        found.append((f"execute_reply status {status}", ""))
    if not found:
        return []
    labels = "; ".join(label for label, _ in found)
    return [f"cell {index}: {labels}\n{_first_lines(found[0][1], 10)}".rstrip()]


def execute(path, timeout=DEFAULT_TIMEOUT, cwd=None, stop_on_problem=True, kernel_log=None, env=None):
    """Executes the notebook at `path` with the GoNB kernel.

    Returns (executed notebook, list of problem strings). The file is not modified.
    cwd: the kernel's folder (default: the notebook's folder).
    stop_on_problem: stop after the first cell with a problem.
    kernel_log: a file object for the kernel's own log (default: discarded).
    env: variables to set in the kernel's environment on top of this process's
      (e.g. {"GOMLX_BACKEND": "go"}), without touching os.environ.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    problems = []

    def on_cell_executed(cell, cell_index, execute_reply):
        if cell.get("cell_type") != "code":
            return
        found = cell_problems(cell, cell_index, execute_reply)
        problems.extend(found)
        if found and stop_on_problem:
            raise _Stop()

    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=timeout,
        allow_errors=True,  # we classify errors ourselves
        resources={"metadata": {"path": str(Path(cwd or path.parent).resolve())}},
        on_cell_executed=on_cell_executed,
    )
    try:
        client.execute(stderr=kernel_log if kernel_log is not None else subprocess.DEVNULL,
                       env={**os.environ, **(env or {})})
    except _Stop:
        pass
    except Exception as e:  # timeouts, dead kernel, ...
        problems.append(f"execution aborted: {type(e).__name__}: {_first_lines(str(e))}")
    return nb, problems


# ---------------------------------------------------------------- HTML export

# The line every lesson's first markdown cell has, e.g.
# "*Estimated time: 20 minutes; about two minutes of training on 2 CPU cores.*"
ESTIMATED_TIME = re.compile(r"^[\s*_]*Estimated time:[\s*_]*(.+?)[\s*_]*$", re.IGNORECASE | re.MULTILINE)
# "Lesson 3 — Mode collapse, measured" -> 3, "Mode collapse, measured"
LESSON_HEADING = re.compile(r"^Lesson\s+(\d+)\s*(?:[—–:.-]+\s*)?(.*)$")


def _plain(text):
    """Markdown inline text as plain text: link targets and emphasis markers dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\*\*([^*]+)\*\*|\*([^*]+)\*", lambda m: m.group(1) or m.group(2), text)


def _paragraphs(source):
    """The paragraphs (blocks between blank lines) of a markdown cell's source."""
    return re.split(r"\n\s*\n", _text(source))


def notebook_title_and_summary(nb, fallback):
    """First markdown heading and the first paragraph after it (one line).

    The estimated-time line is not a summary, so it is skipped."""
    title, summary = None, None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for para in _paragraphs(cell.source):
            para = para.strip()
            if not para:
                continue
            if para.startswith("#"):
                head, _, rest = para.partition("\n")
                if title is None:
                    title = head.lstrip("#").strip()
                para = rest.strip()
                if not para:
                    continue
            if ESTIMATED_TIME.match(para):
                continue
            if title is not None and summary is None and not para.startswith(("![", "<", "```", "|")):
                summary = " ".join(para.split())
                break
        if title and summary:
            break
    summary = _plain(summary or "")
    if len(summary) > 240:
        summary = _drop_open_math(summary[:237].rsplit(" ", 1)[0]) + "..."
    return title or fallback, summary


def _drop_open_math(text):
    """text up to a formula that the truncation cut in half ("... where $p_g" -> "... where")."""
    closed = re.sub(r"\$\$.*?\$\$|\$[^$]+\$", lambda m: " " * len(m.group()), text)
    i = closed.find("$")
    return text if i < 0 else text[:i].rstrip()


def syllabus_entry(nb, filename):
    """What the index says about one lesson; works on an unexecuted notebook too.

    Returns a dict:
      page       "01-minimax-game.html" (from filename)
      heading    the first markdown heading ("Lesson 1 — The minimax game"), else the file's stem
      number     1: from "Lesson N" in the heading, else from the file name's "NN-" prefix, else None
      title      the heading without its "Lesson N —" prefix
      summary    the first paragraph after the heading, as plain text
      time       the text after "Estimated time:" in the first markdown cell, or None
      exercises  [{"check", "title", "points"}] for each check cell (exercises.check_id), in
                 notebook order (points: an int, or None if missing)
      points     the sum of the exercises' points
    """
    stem = Path(filename).stem
    heading, summary = notebook_title_and_summary(nb, stem)
    m = LESSON_HEADING.match(heading)
    if m:
        number, title = int(m.group(1)), m.group(2).strip() or heading
    else:
        prefix = re.match(r"(\d+)-", stem)
        number, title = (int(prefix.group(1)) if prefix else None), heading

    time_text = None
    first_md = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first_md is not None:
        # The estimated-time paragraph, its lines joined: the sentence may wrap.
        paras = (" ".join(p.split()) for p in _paragraphs(first_md.source))
        t = next((m for m in map(ESTIMATED_TIME.match, paras) if m), None)
        if t:
            time_text = " ".join(_plain(t.group(1)).split())

    items = []
    for cell in nb.cells:
        if not exercises.check_id(cell):
            continue
        meta = cell.metadata["gankit"]
        points = meta.get("points")
        if isinstance(points, bool) or not isinstance(points, int):
            points = None
        items.append({"check": meta["check"],
                      "title": str(meta.get("title") or meta["check"]),
                      "points": points})
    return {
        "page": stem + ".html",
        "heading": heading,
        "number": number,
        "title": title,
        "summary": summary,
        "time": time_text,
        "exercises": items,
        "points": sum(e["points"] or 0 for e in items),
    }


def _nav(prev, nxt, instructor=False):
    def link(item, label, before="", after=""):
        if not item:
            return f"<span>{before}{label}{after}</span>"
        return f'<a href="{html.escape(item[0])}">{before}{label}: {html.escape(item[1])}{after}</a>'
    index = '<a href="index.html">Index</a>'
    if instructor:
        index = f'<span>{index} &middot; <strong class="gankit-edition">{INSTRUCTOR_MARK}</strong></span>'
    return ('<nav class="gankit-nav" style="display:flex;justify-content:space-between;'
            'max-width:1200px;margin:1em auto;padding:0 1em;font-family:sans-serif">'
            f'{link(prev, "Previous", before="&larr; ")}{index}'
            f'{link(nxt, "Next", after=" &rarr;")}</nav>')


# What every page of an instructor export says, next to the link to the index.
INSTRUCTOR_MARK = "Instructor version, with solutions: not for learners"

# The kit's version, kept in one place: the file VERSION at the repository root (README.md,
# "Pinning a semester to a version").
KIT_VERSION = (Path(__file__).resolve().parents[2] / "VERSION").read_text(encoding="utf-8").strip()

# Links shown as links on the lesson pages too, whose lab template styles them as plain text.
_LINK = ' style="color:#1a5fb4;text-decoration:underline"'
# The end of every page, lessons and index: the kit's version, the licences of the text, the
# figures and the code, and the credits of the data (data/README.md has their terms in full).
FOOTER = f"""<footer class="gankit-footer" style="max-width:1200px;margin:2em auto 1em;padding:0.6em 1em 0;
border-top:1px solid #ddd;font-family:sans-serif;font-size:0.85em;line-height:1.45;color:#555">
<p>GAN kit (gankit) {html.escape(KIT_VERSION)}. The lesson text and figures are licensed under
<a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/"{_LINK}>CC BY-SA 4.0</a>;
the code under Apache-2.0 (the kit's <code>LICENSE</code>).</p>
<p>Data: <a href="http://yann.lecun.com/exdb/mnist/"{_LINK}>MNIST</a>, by Yann LeCun, Corinna Cortes and
Christopher J.C. Burges, a subset (its page states no licence; Keras documents it as CC BY-SA 3.0);
<a href="https://github.com/zalandoresearch/fashion-mnist"{_LINK}>Fashion-MNIST</a>, by Zalando Research
(Han Xiao, Kashif Rasul, Roland Vollgraf), a subset, copyright 2017 Zalando SE, MIT licence. Their
sources and terms: the kit's <code>data/README.md</code>. Math typeset by MathJax (Apache-2.0); the
licences of the other software the kit uses: its <code>THIRD_PARTY_NOTICES.md</code>.</p>
</footer>"""


def lesson_page(body, nav):
    """A lesson page as nbconvert wrote it, with the navigation at its top and at its bottom,
    then the footer."""
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + nav, body, count=1)
    return body.replace("</body>", nav + "\n" + FOOTER + "\n</body>", 1)


def _points(n):
    return f"{n} point" + ("" if n == 1 else "s")


def index_html(entries, mathjax_url, instructor=False):
    """The syllabus page (index.html) for a list of syllabus_entry dicts, in lesson order;
    instructor: the index of an instructor export (says so)."""
    e = html.escape
    items = []
    for s in entries:
        label = f'<span class="num">Lesson {s["number"]}</span> ' if s["number"] is not None else ""
        parts = [f'<li id="{e(Path(s["page"]).stem)}">',
                 f'<h2><a href="{e(s["page"])}">{label}{e(s["title"])}</a></h2>']
        if s["summary"]:
            parts.append(f'<p class="summary">{e(s["summary"])}</p>')
        parts.append('<p class="time"><strong>Estimated time:</strong> '
                     + (e(s["time"]) if s["time"] else "not given") + "</p>")
        if s["exercises"]:
            n = len(s["exercises"])
            parts.append(f'<div class="exercises"><strong>Exercises</strong> ({n}, '
                         f'{_points(s["points"])} in all):<ol>')
            for x in s["exercises"]:
                pts = f' <span class="points">({_points(x["points"])})</span>' if x["points"] is not None else ""
                parts.append(f'<li>{e(x["title"])}{pts}</li>')
            parts.append("</ol></div>")
        else:
            parts.append('<p class="exercises"><strong>Exercises:</strong> no exercises yet.</p>')
        parts.append("</li>")
        items.append("\n".join(parts))
    count = f"{len(entries)} lesson" + ("" if len(entries) == 1 else "s")
    intro = (INSTRUCTOR_INTRO if instructor else PUBLIC_INTRO).format(count=count)
    return INDEX_TEMPLATE.format(items="\n".join(items), intro=intro, mathjax_config=MATHJAX_CONFIG,
                                 mathjax_url=e(mathjax_url), footer=FOOTER,
                                 title="GAN kit lessons" + (" (instructor version)" if instructor else ""))


# Variables of gankit/exercise that change what a check does (exercise.FailEnv, exercise.ModeEnv):
# blanked in the kernels of an export, so that the pages show what a learner sees in JupyterLab
# (with GANKIT_CHECK_FAIL=error, set for nbgrader, a stub's failed check would fail its cell).
CHECK_ENV = ("GANKIT_CHECK_FAIL", "GANKIT_EXERCISE_MODE")


def solution_cells(nb):
    """Indices of the code cells of nb that hold a solution region (a "// BEGIN SOLUTION" line)."""
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
            and any(line.strip() == exercises.BEGIN for line in _text(c.source).splitlines())]


def public_sources(paths, students):
    """What the public site shows for each instructor notebook in paths.

    Returns ([(instructor path, path to execute)], {instructor path: problems}). The path to
    execute is the student version students/<name> when the notebook has solution cells (it
    must exist and match exercises.student_version, cell by cell: else the problem says to run
    `make exercises`), else the notebook itself (it has no solution to hide)."""
    sources, problems = [], {}
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        if not exercises.solutions(nb):
            sources.append((p, p))
            continue
        st_path = Path(students) / Path(p).name
        try:
            want = exercises.student_version(nb, Path(p).name)
        except exercises.MarkupError as e:
            problems[p] = [f"no student version: {e}"]
            continue
        if not st_path.is_file():
            problems[p] = [f"its student version {st_path} is missing: run `make exercises`"]
            continue
        got = nbformat.read(st_path, as_version=4)
        if [(c.cell_type, _text(c.source)) for c in got.cells] != \
                [(c.cell_type, _text(c.source)) for c in want.cells]:
            problems[p] = [f"its student version {st_path} is out of date: run `make exercises`"]
            continue
        sources.append((p, str(st_path)))
    return sources, problems


def export(paths, out_dir, timeout=DEFAULT_TIMEOUT, instructor=False, students=None):
    """Executes all notebooks; if none has problems writes HTML pages + index.html (the syllabus).

    instructor=False, the public site: no page may show a solution. students=DIR replaces each
      notebook in paths (instructor notebooks) by its student version in DIR (public_sources);
      any notebook that still holds a solution region is a problem, and nothing is executed.
    instructor=True: the notebooks as given, with their solutions; every page and the index
      say that this is the instructor version.
    Returns a dict path -> problems (empty lists when all is well)."""
    from nbconvert import HTMLExporter

    out_dir = Path(out_dir)
    if instructor and students:
        raise ValueError("an instructor export shows the notebooks as given: no students folder")
    results = {p: [] for p in paths}
    sources = [(p, p) for p in paths]
    if students:
        sources, problems = public_sources(paths, students)
        results.update(problems)
    if not instructor:
        for p, src in sources:
            cells = solution_cells(nbformat.read(src, as_version=4))
            if cells:
                results[p] = [f"{src} holds solutions (cell{'s' if len(cells) > 1 else ''} {', '.join(map(str, cells))}): the public site "
                              "shows student versions (--students DIR); --instructor exports solutions"]
    if any(results.values()):
        for p, problems in results.items():
            for prob in problems:
                print(f"FAIL {p} (not run)\n     {prob}", flush=True)
        return results

    pages = []
    env = {k: "" for k in CHECK_ENV}
    for p, src in sources:
        nb, problems = _run_one(src, timeout, env=env)
        if not instructor:
            problems = [_stub_hint(prob) for prob in problems]
        results[p] = problems
        pages.append((syllabus_entry(nb, Path(src).name), nb))
    if any(results.values()):
        return results

    out_dir.mkdir(parents=True, exist_ok=True)
    mathjax_url = _bundle_mathjax(out_dir)
    exporter = HTMLExporter(template_name="lab", template_file=PAGE_TEMPLATE_NAME,
                            extra_loaders=[_page_template_loader()], mathjax_url=mathjax_url)
    links = [(s["page"], s["heading"]) for s, _ in pages]
    for i, (s, nb) in enumerate(pages):
        name = s["heading"] + (" (instructor version)" if instructor else "")
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
        nav = _nav(links[i - 1] if i > 0 else None, links[i + 1] if i + 1 < len(links) else None,
                   instructor)
        (out_dir / s["page"]).write_text(lesson_page(body, nav), encoding="utf-8")
        print(f"wrote {out_dir / s['page']}")

    index = index_html([s for s, _ in pages], mathjax_url, instructor)
    (out_dir / "index.html").write_text(index, encoding="utf-8")
    print(f"wrote {out_dir / 'index.html'}")
    return results


def _stub_hint(problem):
    """A problem of a public export, with a hint when a stub panicked outside a check cell."""
    if "not implemented" not in problem:
        return problem
    return (problem + "\n(a stub's panic outside a check: a cell of the student version calls a function "
            "the learner has not written yet)")


def _bundle_mathjax(out_dir):
    """Copies MathJax 2.7 (from the jupyter-server-mathjax package) to out_dir/mathjax, so
    the pages typeset their math with no network, and returns the relative URL to load it."""
    import shutil
    import jupyter_server_mathjax

    src = Path(jupyter_server_mathjax.__file__).parent / "static"
    dst = Path(out_dir) / "mathjax"
    if not (dst / "MathJax.js").exists():
        shutil.copytree(src, dst, dirs_exist_ok=True)
    return "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


# Read by MathJax 2 when it loads (window.MathJax set before MathJax.js). The copy from
# jupyter-server-mathjax ships only the STIX-Web fonts (Jupyter configures MathJax so), so:
# HTML-CSS uses STIX-Web instead of its default TeX fonts, which are not there; the @font-face
# rules that point at missing files (NativeMML's TeX fonts, used by the hidden MathML that
# AssistiveMML adds for screen readers) or at about:blank (HTML-CSS's blank font, blocked
# on file:// pages) are given a local() source, so the browser requests nothing that fails.
_NO_FONT = {"src": "local('MathJax_Blank')"}
MATHJAX_CONFIG = json.dumps({
    "HTML-CSS": {"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web",
                 "imageFont": None, "styles": {"@font-face": _NO_FONT}},
    "NativeMML": {"styles": {f"@font-face /*{i}*/": _NO_FONT for i in range(1, 7)}},
    "tex2jax": {"inlineMath": [["$", "$"], ["\\(", "\\)"]], "processEscapes": True},
})

# The lesson pages: nbconvert's lab template, with the MathJax settings above, and
# without require.js (loaded from a CDN, for widgets, which no lesson has): the pages
# load nothing from the network.
PAGE_TEMPLATE_NAME = "gankit_lesson.html.j2"
PAGE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}
{% raw %}<script>window.MathJax = """ + MATHJAX_CONFIG + """;</script>{% endraw %}
{{ super() }}
{%- endblock html_head_js_mathjax -%}
"""


def _page_template_loader():
    import jinja2
    return jinja2.DictLoader({PAGE_TEMPLATE_NAME: PAGE_TEMPLATE})


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: syllabus</title>
<script>window.MathJax = {mathjax_config};</script>
<script src="{mathjax_url}"></script>
<style>
body {{ font-family: sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}
ol.syllabus {{ list-style: none; padding: 0; }}
ol.syllabus > li {{ border-top: 1px solid #ddd; padding: 0.8em 0; }}
h2 {{ font-size: 1.2em; margin: 0 0 0.3em; }}
h2 a {{ text-decoration: none; }}
.num {{ color: #666; font-weight: normal; margin-right: 0.3em; }}
.summary {{ margin: 0.3em 0; color: #333; }}
.time, .exercises {{ margin: 0.3em 0; font-size: 0.95em; color: #444; }}
.exercises ol {{ margin: 0.2em 0; }}
.points {{ color: #666; }}
</style></head>
<body>
<h1>{title}</h1>
{intro}
<ol class="syllabus">
{items}
</ol>
{footer}
</body></html>
"""


PUBLIC_INTRO = """<p>The syllabus: {count}, in order. Each page is the lesson's student notebook, executed,
with its figures; each exercise shows the stub you replace, and below it the line its check prints
until you do (✘ ... not implemented yet). To run the lessons and do the exercises, open the student
notebooks (<code>lessons/exercises/</code> in the kit) in JupyterLab with the Go kernel.</p>"""

INSTRUCTOR_INTRO = """<p class="edition"><strong>Instructor version, with the solutions: not for learners.</strong>
The syllabus: {count}, in order. Each page is the lesson's notebook from <code>notebooks/</code>, executed,
with its figures and its solutions, whose checks pass. The public site, built from the student
versions, is written by <code>make lessons</code> to <code>lessons/</code>.</p>"""


# ---------------------------------------------------------------- CLI

def _run_one(path, timeout, env=None):
    start = time.time()
    nb, problems = execute(path, timeout=timeout, env=env)
    status = "FAIL" if problems else "OK"
    print(f"{status:4} {path} ({time.time() - start:.1f}s)", flush=True)
    for prob in problems:
        print("     " + prob.replace("\n", "\n     "), flush=True)
    return nb, problems


def install_kernel(gonb, path_prepend, goexperiment, gotoolchain="local", kit_root=None):
    """Writes the GoNB kernelspec into this Python environment (sys.prefix).

    The kernel's GANKIT_ROOT is the kit's absolute path (kit_root, by default the checkout
    this file is in): the lessons' set-up cell points go.work there, so that a notebook finds
    the kit from any folder (an nbgrader course, a learner's home), not only from notebooks/."""
    system_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    root = Path(kit_root).resolve() if kit_root else Path(__file__).resolve().parents[2]
    spec = {
        "argv": [str(Path(gonb).resolve()), "--kernel", "{connection_file}"],
        "display_name": "Go (gonb)",
        "language": "go",
        "env": {
            "PATH": ":".join(p for p in path_prepend.split(":") if p) + ":" + system_path,
            "GOTOOLCHAIN": gotoolchain,
            "GOEXPERIMENT": goexperiment,
            "GANKIT_ROOT": str(root),
        },
    }
    kdir = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    kdir.mkdir(parents=True, exist_ok=True)
    (kdir / "kernel.json").write_text(json.dumps(spec, indent=2) + "\n")
    print(f"installed kernelspec {kdir / 'kernel.json'}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="execute notebooks and report problems")
    run.add_argument("notebooks", nargs="*")
    run.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    exp = sub.add_parser("export", help="execute notebooks and export them to HTML")
    exp.add_argument("notebooks", nargs="*")
    exp.add_argument("--out", default="lessons")
    edition = exp.add_mutually_exclusive_group()
    edition.add_argument("--students", metavar="DIR",
                         help="public site: export each notebook's student version DIR/<name> instead")
    edition.add_argument("--instructor", action="store_true",
                         help="instructor site: export the notebooks with their solutions")
    exp.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    ik = sub.add_parser("install-kernel", help="install the GoNB kernelspec into this venv")
    ik.add_argument("--gonb", required=True)
    ik.add_argument("--path-prepend", default="", help="':'-separated dirs put first on the kernel's PATH")
    ik.add_argument("--goexperiment", default="")
    ik.add_argument("--gotoolchain", default="local", help="GOTOOLCHAIN for the kernel's go command (e.g. go1.27.3)")
    ik.add_argument("--kit-root", default=None,
                    help="the kit's folder, the kernel's GANKIT_ROOT (default: the checkout of this file)")
    args = ap.parse_args(argv)

    if args.cmd == "install-kernel":
        install_kernel(args.gonb, args.path_prepend, args.goexperiment, args.gotoolchain, args.kit_root)
        return 0
    if not args.notebooks:
        print("no notebooks given", file=sys.stderr)
    if args.cmd == "run":
        results = {p: _run_one(p, args.timeout)[1] for p in args.notebooks}
    else:
        results = export(args.notebooks, args.out, args.timeout,
                         instructor=args.instructor, students=args.students)
    failed = [p for p, probs in results.items() if probs]
    if failed:
        print(f"{len(failed)} of {len(results)} notebook(s) failed: {', '.join(failed)}", file=sys.stderr)
        if args.cmd == "export":
            print("no HTML written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
