"""Tests of the grader's sandbox (sandbox.py) with a program that breaks every rule a
submission's code must follow: it uses the operating system directly, which cmd/checkprog
would have refused. The sandbox must hold on its own.

Run with the venv's pytest (`make test`); needs bubblewrap (`make setup` installs it) and
the go command.
"""

import os
import socket
import subprocess
import uuid
from pathlib import Path

import pytest

import sandbox

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
LESSON = REPO / "notebooks" / "01-minimax-game.ipynb"

HOSTILE = r'''package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

func try(what string, err error) {
	if err == nil {
		fmt.Println(what, "OK")
	} else {
		fmt.Println(what, "FAILED:", err)
	}
}

func main() {
	switch os.Args[1] {
	case "files":
		for _, path := range os.Args[2:] {
			var err error
			if strings.HasSuffix(path, "/") {
				_, err = os.ReadDir(path)
			} else {
				_, err = os.ReadFile(path)
			}
			try("read "+path, err)
		}
		try("write kit", os.WriteFile(os.Args[2]+".evil", []byte("x"), 0o644))
		try("write tmp", os.WriteFile("/tmp/ok", []byte("x"), 0o644))
	case "net":
		c, err := net.DialTimeout("tcp", os.Args[2], 2*time.Second)
		if err == nil {
			c.Close()
		}
		try("dial "+os.Args[2], err)
	case "mem":
		var keep [][]byte
		for {
			b := make([]byte, 32<<20)
			for i := range b {
				b[i] = 1
			}
			keep = append(keep, b)
		}
	case "fork":
		n := 0
		for ; n < 10000; n++ {
			if err := exec.Command("/check", "sleep", os.Args[2]).Start(); err != nil {
				fmt.Println("fork FAILED after", n, err)
				return
			}
		}
		fmt.Println("fork OK", n)
	case "setsid":
		c := exec.Command("/check", "sleep", os.Args[2])
		c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		try("setsid child", c.Start())
	case "sleep":
		time.Sleep(time.Hour)
	case "disk":
		f, err := os.Create("/tmp/fill")
		if err != nil {
			try("create", err)
			return
		}
		chunk := make([]byte, 1<<20)
		n := 0
		for ; n < 1<<12; n++ {
			if _, err = f.Write(chunk); err != nil {
				break
			}
		}
		fmt.Println("disk wrote", n, "MB:", err)
	case "output":
		line := strings.Repeat("x", 1<<20)
		for i := 0; i < 100; i++ {
			fmt.Println(line)
		}
	case "spin":
		for {
		}
	}
}
'''


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    try:
        sandbox.bwrap_path()
    except sandbox.SandboxError as e:
        pytest.fail(str(e))
    d = tmp_path_factory.mktemp("hostile")
    (d / "go.mod").write_text("module hostile\n\ngo 1.21\n")
    (d / "main.go").write_text(HOSTILE)
    env = dict(os.environ, CGO_ENABLED="0", GOWORK="off", GOFLAGS="")
    subprocess.run(["go", "build", "-o", "hostile", "."], cwd=d, env=env, check=True, capture_output=True, timeout=300)
    return d / "hostile"


def run(binary, *args, **limits):
    return sandbox.run(binary, list(args), {"GOMAXPROCS": "2"}, sandbox.Limits(**{"wall_seconds": 20, **limits}))


def test_files_outside_are_invisible(hostile, tmp_path):
    other = tmp_path / "other-submission.ipynb"
    other.write_text("{}")
    secret = Path.home() / f".gankit-sandbox-test-{uuid.uuid4().hex}"
    secret.write_text("secret")
    try:
        paths = [str(LESSON), str(other), str(secret), str(REPO / "go.mod"), str(Path.home()) + "/", str(REPO) + "/"]
        o = run(hostile, "files", *paths)
    finally:
        secret.unlink()
    out = o.stdout.decode()
    for path in paths:
        assert f"read {path} FAILED" in out, out
    assert "write kit FAILED" in out and "write tmp OK" in out, out
    assert not Path(str(LESSON) + ".evil").exists()


def test_no_network(hostile):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        addr = "127.0.0.1:%d" % listener.getsockname()[1]
        o = run(hostile, "net", addr)
        assert f"dial {addr} FAILED" in o.stdout.decode(), o.stdout
        with pytest.raises(socket.timeout):
            listener.accept()


def test_memory_bomb_is_stopped(hostile):
    o = run(hostile, "mem", memory_bytes=256 << 20)
    assert o.returncode != 0
    if os.geteuid() == 0:  # a cgroup: the reason is named
        assert "memory limit reached" in o.reasons, o.reasons


def _alive(marker):
    """Pids of processes whose command line holds marker."""
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if marker.encode() in Path(f"/proc/{d}/cmdline").read_bytes():
                    pids.append(int(d))
            except OSError:
                pass
    return pids


def test_fork_storm_is_capped_and_killed(hostile):
    marker = f"gankit-fork-{uuid.uuid4().hex}"
    o = run(hostile, "fork", marker, pids=32)
    out = o.stdout.decode()
    assert "fork FAILED after" in out, out
    assert int(out.split("after")[1].split()[0]) < 32, out
    if os.geteuid() == 0:  # a cgroup: the reason is named
        assert "process limit reached" in o.reasons, o.reasons
    assert _alive(marker) == []


def test_setsid_child_is_killed_at_the_end(hostile):
    marker = f"gankit-setsid-{uuid.uuid4().hex}"
    o = run(hostile, "setsid", marker)
    assert "setsid child OK" in o.stdout.decode(), o.stdout
    assert _alive(marker) == []


def test_disk_is_capped(hostile):
    o = run(hostile, "disk", tmpfs_bytes=16 << 20)
    out = o.stdout.decode()
    # The private /tmp fills up, or the file-size limit stops the file first.
    assert "disk wrote" in out and ("no space left" in out or "file too large" in out), out
    assert int(out.split("wrote")[1].split()[0]) <= 16


def test_output_is_capped(hostile):
    o = run(hostile, "output", file_bytes=4 << 20)
    assert any("output limit" in r for r in o.reasons), o.reasons
    assert len(o.stdout) <= 64 << 10


def test_time_limit(hostile):
    o = run(hostile, "spin", wall_seconds=2, cpu_seconds=60)
    assert "time limit of 2 s reached" in o.reasons, o.reasons
