"""nbgrader's configuration for the kit's Go lessons (GoNB kernel), for nbgrader 0.9.6.

Copy this file into your course folder, the one that holds source/, release/, submitted/ and
autograded/, and run the kit's nbgrader (.venv/bin/nbgrader) there; or keep it here and load it
from the course's own nbgrader_config.py, after which you can add the course's settings:

    c = get_config()
    load_subconfig("/path/to/the/kit/nbgrader/nbgrader_config.py")

README.md ("Grading with nbgrader") walks through a course; cmd/nbexec/test_nbgrader.py runs it.
"""

import os

c = get_config()  # noqa: F821 (traitlets defines it in a config file)

# Solution regions. The lessons mark them with Go comments, each alone on its line. nbgrader
# takes *any* line that contains a delimiter for one, so no other cell of a lesson, markdown
# included, names them (cmd/nbexec/exercises.py's validate refuses a notebook that does).
c.ClearSolutions.begin_solution_delimeter = "// BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "// END SOLUTION"
# What the released notebook holds in place of a solution: the stub of `make exercises`
# (exercises.STUB), which compiles and fails its check with "not implemented". The key is the
# language in the lessons' kernelspec metadata.
c.ClearSolutions.code_stub = {"go": '// YOUR CODE HERE\npanic("not implemented")'}

# nbgrader scores a test cell 0 only when the cell errors (or writes to stderr); a check of
# gankit/exercise that fails only prints ✘ unless its kernel has GANKIT_CHECK_FAIL=error in its
# environment, when it also exits with status 1 (gankit/exercise.FailEnv). The kernels that
# nbgrader starts (autograde, validate, the formgrader's buttons) inherit this process's
# environment, so every nbgrader command that reads this file grades failed checks as failed.
os.environ["GANKIT_CHECK_FAIL"] = "error"

# Autograding decides the check cells with the kit's own grader (trusted_checks.py, beside this
# file): the learner's code runs only sandboxed, in a program that answers the checks, and a
# trusted program built from source/ decides them, so a submission cannot forge its grade as it
# could under nbgrader's Execute, which runs the learner's code in the kernel that runs the
# checks. The rest of nbgrader's autograde steps are its own.
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def _kit():
    """The kit's folder: $GANKIT_ROOT, the one the GoNB kernelspec names, or this file's parent's."""
    if os.environ.get("GANKIT_ROOT"):
        return Path(os.environ["GANKIT_ROOT"])
    try:
        from jupyter_client.kernelspec import KernelSpecManager
        root = (KernelSpecManager().get_kernel_spec("gonb").env or {}).get("GANKIT_ROOT")
        if root:
            return Path(root)
    except Exception:
        pass
    return Path(__file__).resolve().parents[1]


sys.path.insert(0, str(_kit() / "nbgrader"))
from trusted_checks import TrustedChecks  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput, SaveAutoGrades)
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402

c.Autograde.autograde_preprocessors = [TrustedChecks, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]

# Seconds per cell while nbgrader runs a notebook in a kernel (validate; nbgrader's default is 30). Lessons train networks in some
# cells: lesson 3's longest took over 15 minutes on a slow 2-core machine, and the first cell
# of a fresh machine compiles the kit. This is also how long a submission that never returns
# holds the grader, per cell: lower it for lessons with short cells.
c.Execute.timeout = 2400
