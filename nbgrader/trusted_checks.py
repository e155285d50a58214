"""TrustedChecks: the step of nbgrader's autograde that decides the lessons' check cells with the
kit's own grader (cmd/nbexec/grade.py), in place of nbgrader's Execute.

nbgrader's Execute runs the whole submitted notebook in one GoNB kernel, so the learner's code
runs in the same process as the checks that grade it, and a package-level initialiser can make
every check cell end cleanly without running (a forged full grade). TrustedChecks runs none of
the notebook in a kernel: it hands the notebook to grade.py, which builds the learner's solution
cells into a program that only answers the checks, in a sandbox, and decides each check in a
trusted program built from the course's source notebook (see README.md, "For instructors").
Each check cell then gets an output that nbgrader's SaveAutoGrades reads as usual: the ✔ line
when it passed (full points), an error with the reason when it did not (zero). The other cells
keep no output.

nbgrader_config.py (next to this file) puts it in Autograde.autograde_preprocessors.
"""

import json
import os
import sys
import tempfile
import threading
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float

KIT = Path(os.environ.get("GANKIT_ROOT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(KIT / "cmd" / "nbexec"))
import exercises  # noqa: E402
import grade  # noqa: E402


def _kernel_environment():
    """The GoNB kernelspec's environment (GOTOOLCHAIN, GOEXPERIMENT, PATH with go): the check
    programs are built with the same Go as the kernel's cells."""
    from jupyter_client.kernelspec import KernelSpecManager
    try:
        return KernelSpecManager().get_kernel_spec("gonb").env or {}
    except Exception:
        return {}


class TrustedChecks(NbGraderPreprocessor):
    """Decides the check cells of a submitted lesson with grade.py (see the module's doc)."""

    timeout = Float(grade.DEFAULT_TIMEOUT, help="Seconds each check may run in the sandbox").tag(config=True)

    _judges = {}  # source notebook path -> (its notebook, its checks, grade.Judge)
    _lock = threading.Lock()
    _work = None

    def _judge(self, source):
        with self._lock:
            if source not in self._judges:
                if TrustedChecks._work is None:
                    TrustedChecks._work = tempfile.TemporaryDirectory(prefix="gankit-nbgrader-")
                lesson, checks = grade.load_instructor(source)
                work = Path(self._work.name) / str(len(self._judges))
                self._judges[source] = (lesson, checks, grade.Judge(source, work))
            return self._judges[source]

    def preprocess(self, nb, resources):
        for k, v in _kernel_environment().items():
            if k != "PATH":
                os.environ.setdefault(k, v)
            elif v not in os.environ.get("PATH", ""):
                os.environ["PATH"] = v
        info = resources["nbgrader"]
        coursedir = CourseDirectory(parent=self)
        source = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"])) / f"{info['notebook']}.ipynb"
        lesson, checks, judge = self._judge(source)
        with tempfile.TemporaryDirectory(prefix="gankit-nbgrader-") as tmp:
            path = Path(tmp) / f"{info['notebook']}.ipynb"
            nbformat.write(nb, path)
            row = grade.grade_one(path, lesson, source, checks, judge, self.timeout)
        for cell in nb.cells:
            cid = exercises.check_id(cell)
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            if cid is None:
                continue
            e = row["exercises"].get(cid) or {}
            passed = bool(e.get("passed"))
            message = e.get("message") or e.get("reason") or row.get("reason") or "the check failed"
            result = {"id": cid, "passed": passed, "message": message}
            if not passed and e.get("hint"):
                result["hint"] = e["hint"]
            line = f"✔ {cid}: passed. {message}" if passed else f"✘ {cid}: {message}"
            # The check's result as gankit/exercise shows it in a notebook, and, when it failed,
            # the error by which nbgrader scores the cell zero.
            cell.outputs = [nbformat.v4.new_output("display_data", data={
                "text/plain": line, exercises.RESULT_MIME: json.dumps(result)})]
            if not passed:
                cell.outputs.append(nbformat.v4.new_output("error", ename="CheckFailed", evalue=line, traceback=[line]))
            self.log.info("%s", line)
        return nb, resources
