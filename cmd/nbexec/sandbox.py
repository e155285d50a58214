"""Runs an untrusted program in a sandbox, for the grader (grade.py).

The sandbox is bubblewrap (Debian's `bubblewrap`, which `make setup` installs) with every
namespace unshared, plus, where this process may create them (as root), a cgroup per run
from Debian's cgroup-tools (`cgcreate`, `cgexec`, `cgdelete`), plus resource limits:

* the program sees only itself (a static binary, read-only at /check), an empty private
  /tmp of at most `tmpfs_bytes`, and its own /proc and /dev: not the kit, not $HOME, not the
  instructor's files, not other submissions, not the network (no interfaces but its own
  down loopback);
* it runs as user nobody (65534) in its own user namespace, with no capabilities, in a new
  session, in its own PID namespace;
* it may write one file outside /tmp, /out/records (bound from the grader's scratch folder),
  where gankit/exercise's answer mode puts its records, and read the files the caller binds
  read-only (the grader binds the kit's data/ and go.mod, public data the checks may load);
* memory (cgroup: `memory_bytes`; else the address space), processes and threads (cgroup:
  `pids`; else RLIMIT_NPROC when not root), CPU time, the size of any file it writes
  (RLIMIT_FSIZE: its output and records included) and the wall time are capped;
* at the end every process it started is killed: bubblewrap is the PID namespace's init, so
  its exit kills them all, setsid or not; the cgroup's remaining tasks are killed too.

What it does not guarantee: protection from a kernel exploit or a bubblewrap bug; that the
program cannot use CPU for its whole time limit; confidentiality of what the program
computes from its own inputs. Without root (no cgroups), a memory bomb is caught by the
address-space limit and a fork bomb by RLIMIT_NPROC, which counts all of the user's
processes.
"""

import os
import resource
import shutil
import signal
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534


class SandboxError(Exception):
    """The sandbox cannot be set up on this machine (the message says what to install)."""


@dataclass
class Limits:
    wall_seconds: float = 60
    cpu_seconds: int = 60
    memory_bytes: int = 1 << 30
    pids: int = 64
    file_bytes: int = 8 << 20  # any file the program writes: stdout, stderr, records
    tmpfs_bytes: int = 32 << 20


@dataclass
class Outcome:
    """How a sandboxed run ended. records is what the program wrote to /out/records."""
    returncode: int | None
    stdout: bytes
    stderr: bytes
    records: bytes
    reasons: list = field(default_factory=list)  # why it was stopped, in words

    @property
    def reason(self):
        return "; ".join(self.reasons)


def bwrap_path():
    """The bubblewrap executable, or SandboxError saying how to get it."""
    path = shutil.which("bwrap")
    if not path:
        raise SandboxError("bubblewrap (bwrap) is not installed: `make setup` installs it as root "
                           "(apt-get install bubblewrap), or install it yourself")
    return path


class _Cgroup:
    """A cgroup for one run, when cgcreate can make one; otherwise inactive."""

    CONTROLLERS = "memory,pids"

    def __init__(self, limits):
        self.name = f"gankit-grade/{uuid.uuid4().hex[:12]}"
        self.active = False
        if os.geteuid() != 0 or not shutil.which("cgcreate"):
            return
        spec = f"{self.CONTROLLERS}:{self.name}"
        ok = subprocess.run(["cgcreate", "-g", spec], capture_output=True).returncode == 0
        if not ok:
            return
        settings = [("memory.limit_in_bytes", limits.memory_bytes), ("pids.max", limits.pids)]
        if Path("/sys/fs/cgroup/cgroup.controllers").exists():  # cgroup v2
            settings = [("memory.max", limits.memory_bytes), ("memory.swap.max", 0), ("pids.max", limits.pids)]
        for key, value in settings:
            if subprocess.run(["cgset", "-r", f"{key}={value}", self.name], capture_output=True).returncode != 0:
                self.delete()
                return
        self.active = True

    def prefix(self):
        return ["cgexec", "-g", f"{self.CONTROLLERS}:{self.name}"] if self.active else []

    def _files(self, name):
        return [p for p in (Path("/sys/fs/cgroup") / c / self.name / name for c in ("memory", "pids", "unified", ""))
                if p.exists()]

    def read(self, name):
        for p in self._files(name):
            try:
                return p.read_text()
            except OSError:
                pass
        return ""

    def _count(self, name, key):
        """The number after key in the cgroup file name ("oom_kill 1"), or 0."""
        for line in self.read(name).splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == key and parts[1].isdigit():
                return int(parts[1])
        return 0

    def hit(self):
        """What limits the run reached, in words."""
        out = []
        if self._count("memory.oom_control", "oom_kill") or self._count("memory.events", "oom_kill"):
            out.append("memory limit reached")
        if self._count("pids.events", "max"):
            out.append("process limit reached")
        return out

    def delete(self):
        for _ in range(3):
            pids = [int(x) for f in self._files("cgroup.procs") for x in f.read_text().split() if x.isdigit()]
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if not pids:
                break
        subprocess.run(["cgdelete", "-g", f"{self.CONTROLLERS}:{self.name}"], capture_output=True)


def _limit(limits, cgroup_active):
    def apply():
        os.setsid()  # the run's own session: killpg reaches bubblewrap and cgexec
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        if not cgroup_active:
            # Go reserves address space beyond what it uses: allow 4x the memory cap.
            resource.setrlimit(resource.RLIMIT_AS, (4 * limits.memory_bytes, 4 * limits.memory_bytes))
            if os.geteuid() != 0:
                mine = sum(1 for d in os.listdir("/proc") if d.isdigit() and _uid_of(d) == os.getuid())
                resource.setrlimit(resource.RLIMIT_NPROC, (mine + limits.pids, mine + limits.pids))
    return apply


def _uid_of(pid):
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return -1


def run(binary, args, env, limits=None, ro_binds=None):
    """Runs the static executable binary with args inside the sandbox, with exactly the
    environment env (and no other variable), and the files or folders of ro_binds ({path
    outside: path inside}) read-only. Returns an Outcome; raises SandboxError when the sandbox
    cannot be set up."""
    limits = limits or Limits()
    bwrap = bwrap_path()
    binary = Path(binary).resolve()
    cg = _Cgroup(limits)
    with tempfile.TemporaryDirectory(prefix="gankit-sandbox-") as tmp:
        tmp = Path(tmp)
        out, err, rec = (open(tmp / n, "w+b") for n in ("stdout", "stderr", "records"))
        os.chmod(tmp, 0o755)
        os.chmod(tmp / "records", 0o666)  # nobody writes it, through the user namespace's mapping
        cmd = [*cg.prefix(), bwrap,
               "--unshare-all", "--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY),
               "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"]
        for k, v in env.items():
            cmd += ["--setenv", k, v]
        for outside, inside in (ro_binds or {}).items():
            cmd += ["--ro-bind", str(outside), str(inside)]
        cmd += ["--ro-bind", str(binary), "/check", "--bind", str(tmp / "records"), "/out/records",
                "--size", str(limits.tmpfs_bytes), "--tmpfs", "/tmp",
                "--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp",
                "/check", *args]
        reasons = []
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    preexec_fn=_limit(limits, cg.active))
        except OSError as e:
            cg.delete()
            raise SandboxError(f"cannot start bubblewrap: {e}") from None
        try:
            returncode = proc.wait(timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            reasons.append(f"time limit of {limits.wall_seconds:g} s reached")
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            returncode = proc.wait()
        finally:
            if cg.active:
                reasons += cg.hit()
            cg.delete()
        if returncode is not None and returncode < 0 and -returncode == signal.SIGXCPU:
            reasons.append(f"CPU time limit of {limits.cpu_seconds} s reached")
        # A write past RLIMIT_FSIZE fails (EFBIG) or raises SIGXFSZ: either way the file is full.
        if any(os.fstat(f.fileno()).st_size >= limits.file_bytes for f in (out, err, rec)) or \
                (returncode is not None and returncode < 0 and -returncode == signal.SIGXFSZ):
            reasons.append(f"output limit of {limits.file_bytes / 2**20:g} MB reached")
        if b"bwrap:" in _read(err, 4096)[:200] and not reasons:
            reasons.append("the sandbox failed to start: " + _read(err, 300).decode(errors="replace").strip())
        outcome = Outcome(returncode, _read(out, 64 << 10), _read(err, 64 << 10), _read(rec, limits.file_bytes), reasons)
        for f in (out, err, rec):
            f.close()
        return outcome


def _read(f, n):
    f.flush()
    f.seek(0)
    return f.read(n)
