"""Notebook tests: every lesson runs clean, and the failure detector works.

Run with the venv's pytest (`make test`). Needs the GoNB kernelspec from `make setup`.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

import exercises
import nbexec
import prose

REPO = Path(__file__).resolve().parents[2]
LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))
# Lessons that also run on the pure-Go backend (GOMLX_BACKEND=go), so that the zero-install
# fallback stays working: the 1-D GAN of lesson 1 and lesson 11's convolutional networks.
GO_LESSONS = [p for p in LESSONS if p.name[:2] in ("01", "11")]
# Where `make setup` links XLA's CPU plugin (gankit/backend.KitPluginDir): when it is there,
# the default backend of every lesson must be XLA.
XLA_CPU_PLUGIN = REPO / ".venv" / "lib" / "go-xla" / "pjrt_c_api_cpu_plugin.so"

# The first cell of every lesson: makes `import "github.com/gankit/kit/..."` resolve
# to this checkout, with the versions in the repo's go.mod (see README.md).
SETUP_CELL = """%noautoget
!*rm -f go.work && go work init && go work use . "${GANKIT_ROOT:-${GONB_DIR}/..}" && go mod edit -replace "github.com/gankit/kit=${GANKIT_ROOT:-${GONB_DIR}/..}\""""


def _jobs():
    """How many lessons execute at once: GANKIT_TEST_JOBS, or the number of CPUs."""
    value = os.environ.get("GANKIT_TEST_JOBS", "")
    if value:
        if not value.isdigit() or int(value) < 1:
            raise pytest.UsageError(f"GANKIT_TEST_JOBS must be a whole number >= 1, got {value!r}")
        return int(value)
    return max(1, len(os.sched_getaffinity(0)))


# The backends the lesson tests run on: the default (XLA on the CPU where its plugin is
# installed), and the pure-Go one, as GOMLX_BACKEND names them.
BACKENDS = {"default": {}, "go": {"GOMLX_BACKEND": "go"}}


@pytest.fixture(scope="module")
def lesson_runs(request):
    """The selected lessons, executing in the background _jobs() at a time, in order.

    Much of a lesson keeps one core busy (a Go build, a single small network training), so
    two lessons at once use a 2-core machine better than one; each runs in its own kernel
    and temporary Go module, and every result comes from fixed seeds, so they cannot
    disturb each other. Maps each (path, backend) to a future of nbexec.execute."""
    selected = [(item.callspec.params["path"], item.callspec.params["backend"]) for item in request.session.items
                if getattr(item, "originalname", None) == "test_lesson_runs_clean"]
    pool = ThreadPoolExecutor(max_workers=_jobs(), thread_name_prefix="lesson")
    try:
        yield {(path, backend): pool.submit(nbexec.execute, path, env=BACKENDS[backend]) for path, backend in selected}
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _backend_line(nb, start="Backend:"):
    """The first line the lesson printed that starts with start ("Backend:" by default)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for line in out.get("text", "").splitlines():
                if line.startswith(start):
                    return line
    return ""


@pytest.mark.parametrize("path, backend", [(p, "default") for p in LESSONS] + [(p, "go") for p in GO_LESSONS],
                         ids=[p.name for p in LESSONS] + [f"{p.name}-pure-go" for p in GO_LESSONS])
def test_lesson_runs_clean(path, backend, lesson_runs):
    nb, problems = lesson_runs[(path, backend)].result()
    assert not problems, "\n".join(problems)
    # The lesson ran where it was meant to, and said so.
    line = _backend_line(nb)
    if backend == "go":
        assert "Go Portable Compute Backend" in line and "GOMLX_BACKEND" in line, line
    elif XLA_CPU_PLUGIN.exists() and not os.environ.get("GOMLX_BACKEND"):
        assert line.startswith("Backend: XLA CPU") and "installed" in line, line
    # And on which version of the kit (VERSION): the first cell prints it before the backend.
    assert _backend_line(nb, "Kit:") == f"Kit: gankit {nbexec.KIT_VERSION}"
    # Every decimal its prose quotes is one the run printed (or a setting in its code): no
    # number typed in from one machine's run (prose.py).
    unsourced = prose.unsourced_numbers(nb)
    assert not unsourced, f"numbers in the prose that this run did not print: {unsourced}"
    # The instructor notebook's exercises all pass (see test_exercises.py for the rest).
    results = exercises.check_results(nb)
    for _, c in exercises.checks(nb):
        assert results.get(c["id"], {}).get("passed"), f"check {c['id']}: {results.get(c['id'])}"


def _run_cells(tmp_path, *sources, cwd=None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return nbexec.execute(path, timeout=300, cwd=cwd)


def test_setup_cell_uses_local_repo(tmp_path):
    # Kernel in a direct subfolder of the repo, like notebooks/: ${GONB_DIR}/.. is the repo.
    nb, problems = _run_cells(
        tmp_path, SETUP_CELL, "!*go list -m -f '{{.Path}} {{.Dir}}' github.com/gankit/kit",
        cwd=REPO / "cmd")
    assert problems == []
    # It prints nothing, so no local folder shows in an exported page.
    assert nb.cells[0].outputs == [], nb.cells[0].outputs
    out = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    assert f"github.com/gankit/kit {REPO}" in out, out


def test_clean_notebook_passes(tmp_path):
    nb, problems = _run_cells(
        tmp_path,
        '%%\nfmt.Println("hello")',
        # stderr output alone is not a failure.
        'import "os"\n%%\nfmt.Fprintln(os.Stderr, "just a warning")',
    )
    assert problems == []
    assert "hello" in nb.cells[0].outputs[0]["text"]


@pytest.mark.parametrize(
    "source, expect",
    [
        ('%%\npanic("planted panic")', "panic"),
        ('%%\nvar p *int\nfmt.Println(*p)', "nil pointer"),
        ('import "os"\n%%\nos.Exit(3)', "exit status 3"),
        ('import "log"\n%%\nlog.Fatal("fatal!")', "exit status 1"),
        ('%%\nfmt.Println(undefinedThing)', "undefined"),  # compile error
        ("!exit 4", "exit status 4"),  # failing shell command: only stderr
    ],
    ids=["panic", "nil-deref", "os-exit-3", "log-fatal", "compile-error", "shell-exit"],
)
def test_failure_is_detected(tmp_path, source, expect):
    _, problems = _run_cells(tmp_path, '%%\nfmt.Println("ok")', source, '%%\nfmt.Println("after")')
    assert problems, "failure not detected"
    assert problems[0].startswith("cell 1:"), problems
    assert expect in "\n".join(problems), problems


def test_detector_on_stderr_only_panic():
    # What GoNB sends for a panic, minus the error output it also sends: still caught.
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="panic: "),
        nbformat.v4.new_output("stream", name="stderr", text="boom\n\ngoroutine 1 [running]:\n"),
        nbformat.v4.new_output("stream", name="stderr", text="exit status 2\n"),
    ]
    problems = nbexec.cell_problems(cell, 5)
    assert len(problems) == 1 and problems[0].startswith("cell 5:") and "boom" in problems[0]


@pytest.mark.skipif(not LESSONS, reason="no lessons in notebooks/ yet")
def test_planted_panic_in_real_lesson_is_detected(tmp_path):
    nb = nbformat.read(LESSONS[0], as_version=4)
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    # Right after the setup cell, so the test fails fast instead of running the lesson.
    nb.cells.insert(first_code + 1, nbformat.v4.new_code_cell('%%\npanic("planted in lesson")'))
    path = tmp_path / LESSONS[0].name
    nbformat.write(nb, path)
    # Run in notebooks/ so the setup cell's ${GONB_DIR}/.. is the repo root.
    _, problems = nbexec.execute(path, cwd=LESSONS[0].parent)
    assert problems and "planted in lesson" in "\n".join(problems), problems
