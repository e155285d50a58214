#!/usr/bin/env python3
"""Headless runner for the GoNB lesson notebooks.

Library:
    execute(path, timeout=900) -> (executed_notebook, problems)

CLI (run with the project venv's python, see the Makefile):
    nbexec.py run notebooks/*.ipynb
    nbexec.py export --out lessons notebooks/*.ipynb
    nbexec.py install-kernel --gonb bin/gonb --path-prepend bin:/usr/local/go/bin [--goexperiment simd]

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

KERNEL_NAME = "gonb"
DEFAULT_TIMEOUT = 900  # seconds per cell

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


def execute(path, timeout=DEFAULT_TIMEOUT, cwd=None, stop_on_problem=True, kernel_log=None):
    """Executes the notebook at `path` with the GoNB kernel.

    Returns (executed notebook, list of problem strings). The file is not modified.
    cwd: the kernel's folder (default: the notebook's folder).
    stop_on_problem: stop after the first cell with a problem.
    kernel_log: a file object for the kernel's own log (default: discarded).
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
        client.execute(stderr=kernel_log if kernel_log is not None else subprocess.DEVNULL)
    except _Stop:
        pass
    except Exception as e:  # timeouts, dead kernel, ...
        problems.append(f"execution aborted: {type(e).__name__}: {_first_lines(str(e))}")
    return nb, problems


# ---------------------------------------------------------------- HTML export

def notebook_title_and_summary(nb, fallback):
    """First markdown heading and the first paragraph after it (one line)."""
    title, summary = None, None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for para in re.split(r"\n\s*\n", _text(cell.source)):
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
            if title is not None and summary is None and not para.startswith(("![", "<", "```", "|")):
                summary = " ".join(para.split())
                break
        if title and summary:
            break
    summary = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", summary or "")  # drop link targets
    summary = re.sub(r"\*\*([^*]+)\*\*|\*([^*]+)\*", lambda m: m.group(1) or m.group(2), summary)  # drop emphasis
    if len(summary) > 240:
        summary = summary[:237].rsplit(" ", 1)[0] + "..."
    return title or fallback, summary


def _nav(prev, nxt):
    def link(item, label):
        if not item:
            return f"<span>{label}</span>"
        return f'<a href="{html.escape(item[0])}">{label}: {html.escape(item[1])}</a>'
    return ('<nav class="gankit-nav" style="display:flex;justify-content:space-between;'
            'max-width:1200px;margin:1em auto;padding:0 1em;font-family:sans-serif">'
            f'{link(prev, "&larr; Previous")}<a href="index.html">Index</a>'
            f'{link(nxt, "Next &rarr;")}</nav>')


def export(paths, out_dir, timeout=DEFAULT_TIMEOUT):
    """Executes all notebooks; if none has problems writes HTML pages + index.html.

    Returns a dict path -> problems (empty lists when all is well)."""
    from nbconvert import HTMLExporter

    out_dir = Path(out_dir)
    results, pages = {}, []
    for p in paths:
        nb, problems = _run_one(p, timeout)
        results[p] = problems
        title, summary = notebook_title_and_summary(nb, Path(p).stem)
        pages.append((Path(p).stem + ".html", title, summary, nb))
    if any(results.values()):
        return results

    out_dir.mkdir(parents=True, exist_ok=True)
    mathjax_url = _bundle_mathjax(out_dir)
    exporter = HTMLExporter(template_name="lab", mathjax_url=mathjax_url)
    for i, (name, title, _, nb) in enumerate(pages):
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        prev = pages[i - 1][:2] if i > 0 else None
        nxt = pages[i + 1][:2] if i + 1 < len(pages) else None
        nav = _nav(prev, nxt)
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + nav, body, count=1)
        body = body.replace("</body>", nav + "\n</body>", 1)
        (out_dir / name).write_text(body, encoding="utf-8")
        print(f"wrote {out_dir / name}")

    items = "\n".join(
        f'<li><a href="{html.escape(name)}">{html.escape(title)}</a>'
        f'<p>{html.escape(summary)}</p></li>' for name, title, summary, _ in pages)
    index = INDEX_TEMPLATE.format(items=items).replace(CDN_MATHJAX, mathjax_url)
    (out_dir / "index.html").write_text(index, encoding="utf-8")
    print(f"wrote {out_dir / 'index.html'}")
    return results


CDN_MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js?config=TeX-AMS_CHTML-full,Safe"


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


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>GAN kit lessons</title>
<script>window.MathJax = {{ tex2jax: {{ inlineMath: [['$','$'], ['\\\\(','\\\\)']], processEscapes: true }} }};</script>
<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js?config=TeX-AMS_CHTML-full,Safe"></script>
<style>
body {{ font-family: sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
li {{ margin-bottom: 1em; }} li p {{ margin: 0.2em 0; color: #444; }}
</style></head>
<body>
<h1>GAN kit lessons</h1>
<ol>
{items}
</ol>
</body></html>
"""


# ---------------------------------------------------------------- CLI

def _run_one(path, timeout):
    start = time.time()
    nb, problems = execute(path, timeout=timeout)
    status = "FAIL" if problems else "OK"
    print(f"{status:4} {path} ({time.time() - start:.1f}s)", flush=True)
    for prob in problems:
        print("     " + prob.replace("\n", "\n     "), flush=True)
    return nb, problems


def install_kernel(gonb, path_prepend, goexperiment):
    """Writes the GoNB kernelspec into this Python environment (sys.prefix)."""
    system_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    spec = {
        "argv": [str(Path(gonb).resolve()), "--kernel", "{connection_file}"],
        "display_name": "Go (gonb)",
        "language": "go",
        "env": {
            "PATH": ":".join(p for p in path_prepend.split(":") if p) + ":" + system_path,
            "GOTOOLCHAIN": "local",
            "GOEXPERIMENT": goexperiment,
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
    exp.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    ik = sub.add_parser("install-kernel", help="install the GoNB kernelspec into this venv")
    ik.add_argument("--gonb", required=True)
    ik.add_argument("--path-prepend", default="", help="':'-separated dirs put first on the kernel's PATH")
    ik.add_argument("--goexperiment", default="")
    args = ap.parse_args(argv)

    if args.cmd == "install-kernel":
        install_kernel(args.gonb, args.path_prepend, args.goexperiment)
        return 0
    if not args.notebooks:
        print("no notebooks given", file=sys.stderr)
    if args.cmd == "run":
        results = {p: _run_one(p, args.timeout)[1] for p in args.notebooks}
    else:
        results = export(args.notebooks, args.out, args.timeout)
    failed = [p for p, probs in results.items() if probs]
    if failed:
        print(f"{len(failed)} of {len(results)} notebook(s) failed: {', '.join(failed)}", file=sys.stderr)
        if args.cmd == "export":
            print("no HTML written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
