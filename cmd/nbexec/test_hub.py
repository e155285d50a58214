"""A class on the real JupyterHub (hub/): three students log in, start their servers and check
an exercise of lesson 1 in them.

The Hub (JupyterHub from PyPI, hub/requirements.txt) and its proxy (configurable-http-proxy
from npm, hub/package-lock.json), installed by `make hub-setup`, run from
hub/jupyterhub_config.py exactly as `make hub` runs them, but on free ports of 127.0.0.1 and
with a state folder in the test's temporary folder. Everything goes through the proxy, as a
browser's requests would: the Hub's REST API to create the users (with the config's admin
token), to log each one in with the shared password and to start their servers; each
student's Jupyter server's REST API to open and save their copy of the lesson and to start a
kernel; its websocket to run cells. Alice writes a correct solution, Bob a wrong one, Carol
leaves the stub: each must see their own check result. The test then stops the servers and
the Hub and fails if any process it started is left (a process is the test's when its
environment names the state folder: the Hub and the proxy get it in GANKIT_HUB_STATE, each
student's server, kernel and Go programs in HOME).
"""

import asyncio
import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

import exercises as ex

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".venv"
CONFIG = REPO / "hub" / "jupyterhub_config.py"
JUPYTERHUB = VENV / "bin" / "jupyterhub"
PROXY = VENV / "hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
LESSON = "01-minimax-game.ipynb"
EXERCISE = "01-d-loss"

CORRECT = """\
func discriminatorLoss(realLogits, fakeLogits *Node) *Node {
	return Add(ReduceAllMean(Softplus(Neg(realLogits))), ReduceAllMean(Softplus(fakeLogits)))
}
"""
# Sums where the loss averages: right on the first input (one logit each), wrong on the others.
WRONG = CORRECT.replace("ReduceAllMean", "ReduceAllSum")
STUDENTS = {"alice": CORRECT, "bob": WRONG, "carol": None}  # None: the stub as handed out

HUB_START_S = 120
SERVER_START_S = 120
CELL_S = 600  # a cold Go build cache compiles GoMLX for minutes; warm, a cell takes seconds
STOP_S = 60


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def marked_processes(marker):
    """The processes whose environment contains marker (bytes)."""
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            if marker in (d / "environ").read_bytes():
                pids.append(int(d.name))
        except OSError:
            pass
    return pids


def describe(pid):
    try:
        cmd = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
        return f"{pid} {cmd.decode(errors='replace')[:200]}"
    except OSError:
        return str(pid)


class Hub:
    """The Hub of hub/jupyterhub_config.py with its proxy, on free ports of 127.0.0.1."""

    def __init__(self, tmp):
        self.state = tmp / f"hub-{uuid.uuid4().hex[:8]}"
        self.state.mkdir()
        self.marker = str(self.state).encode()
        self.port, hub_port, api_port = free_ports(3)
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(12)
        self.admin_token = secrets.token_hex(32)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GANKIT_HUB_")}
        env.update(GANKIT_HUB_STATE=str(self.state), GANKIT_HUB_PORT=str(self.port),
                   GANKIT_HUB_INTERNAL_PORT=str(hub_port), GANKIT_HUB_PROXY_API_PORT=str(api_port),
                   GANKIT_HUB_PASSWORD=self.password, GANKIT_HUB_API_TOKEN=self.admin_token)
        self.log = self.state / "jupyterhub.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen([str(JUPYTERHUB), "-f", str(CONFIG)], cwd=self.state, env=env,
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        self.leftovers = []

    def log_tail(self, n=60):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self):
        """SIGTERM to the Hub (which stops the servers it spawned and the proxy), then wait for
        every marked process to end; those still there after STOP_S are recorded in
        self.leftovers and killed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_S)
            except subprocess.TimeoutExpired:
                self.leftovers.append(f"the Hub itself ({self.proc.pid}) ignored SIGTERM for {STOP_S} s")
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        deadline = time.monotonic() + STOP_S
        while (pids := marked_processes(self.marker)) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in pids:
            self.leftovers.append(describe(pid))
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


async def call(method, url, token=None, body=None):
    """An HTTP request: (status, JSON body or None). No redirects are followed."""
    req = HTTPRequest(url, method=method, headers={"Authorization": f"token {token}"} if token else {},
                      body=None if body is None and method in ("GET", "DELETE") else json.dumps(body or {}),
                      follow_redirects=False, request_timeout=120, allow_nonstandard_methods=True)
    resp = await AsyncHTTPClient().fetch(req, raise_error=False)
    if resp.code == 599:
        raise resp.error
    try:
        data = json.loads(resp.body) if resp.body else None
    except ValueError:
        data = resp.body[:300]
    return resp.code, data


async def wait_for_hub(hub):
    deadline = time.monotonic() + HUB_START_S
    while time.monotonic() < deadline:
        assert hub.proc.poll() is None, f"the Hub exited ({hub.proc.returncode}):\n{hub.log_tail()}"
        try:
            if (await call("GET", f"{hub.url}/hub/api/"))[0] == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.3)
    pytest.fail(f"the Hub did not answer on {hub.url} within {HUB_START_S} s:\n{hub.log_tail()}")


async def start_server(hub, name, token):
    code, body = await call("POST", f"{hub.url}/hub/api/users/{name}/server", token)
    assert code in (201, 202), f"starting {name}'s server: {code} {body}\n{hub.log_tail()}"
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        code, user = await call("GET", f"{hub.url}/hub/api/users/{name}", token)
        assert code == 200, (code, user)
        if user["server"] and not user["pending"]:
            return
        assert user["pending"] == "spawn", f"{name}'s server failed to start: {user}\n{hub.log_tail()}"
        await asyncio.sleep(0.5)
    pytest.fail(f"{name}'s server did not start within {SERVER_START_S} s:\n{hub.log_tail()}")


def message(msg_type, content, session):
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "test", "session": session,
                       "date": datetime.now(timezone.utc).isoformat(), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}


async def execute(ws, session, code):
    """Runs code in the kernel behind websocket ws: (reply status, outputs as nbformat dicts)."""
    msg = message("execute_request", {"code": code, "silent": False, "store_history": True,
                                      "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}, session)
    ws.write_message(json.dumps(msg))
    outputs, status, idle = [], None, False
    while status is None or not idle:
        raw = await asyncio.wait_for(ws.read_message(), CELL_S)
        assert raw is not None, "the kernel's websocket closed"
        m = json.loads(raw)
        if m.get("parent_header", {}).get("msg_id") != msg["header"]["msg_id"]:
            continue
        t = m["header"]["msg_type"]
        if m["channel"] == "shell" and t == "execute_reply":
            status = m["content"]["status"]
        elif t == "status":
            idle = m["content"]["execution_state"] == "idle"
        elif t in ("stream", "display_data", "execute_result", "error"):
            outputs.append({"output_type": t, **m["content"]})
    return status, outputs


def text(outputs):
    return "".join(o.get("text", "") + "".join(o.get("traceback", [])) for o in outputs)[-2000:]


async def student(hub, name, solution, timings):
    """One student's session: log in, start the server, write the solution into their copy of
    the lesson, run its set-up, imports, solution and check cells; returns the check result."""
    t0 = time.monotonic()
    code, body = await call("POST", f"{hub.url}/hub/api/users/{name}/tokens",
                            body={"auth": {"username": name, "password": hub.password}, "note": "test login"})
    assert code == 201, f"{name} could not log in: {code} {body}"
    token = body["token"]
    await start_server(hub, name, token)
    timings[f"{name}: log in and start the server"] = time.monotonic() - t0

    base = f"{hub.url}/user/{name}"
    code, model = await call("GET", f"{base}/api/contents/{LESSON}", token)
    assert code == 200, f"{name} has no {LESSON}: {code} {model}"
    nb = nbformat.from_dict(model["content"])
    sol = dict((e, i) for i, e in ex.solutions(nb))[EXERCISE]
    if solution is not None:
        nb.cells[sol].source = solution
        code, saved = await call("PUT", f"{base}/api/contents/{LESSON}", token,
                                 {"type": "notebook", "format": "json", "content": nb})
        assert code == 200, f"saving {name}'s notebook: {code} {saved}"
    # What runs is what the server now holds.
    code, model = await call("GET", f"{base}/api/contents/{LESSON}", token)
    assert code == 200, (code, model)
    nb = nbformat.from_dict(model["content"])
    chk = dict((c["id"], i) for i, c in ex.checks(nb))[EXERCISE]
    cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"][:2] + [sol, chk]

    code, sess = await call("POST", f"{base}/api/sessions", token,
                            {"path": LESSON, "name": LESSON, "type": "notebook", "kernel": {"name": "gonb"}})
    assert code == 201, f"{name}'s kernel: {code} {sess}"
    session = uuid.uuid4().hex
    ws_url = f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{sess['kernel']['id']}/channels?session_id={session}"
    ws = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {token}"}))
    result = None
    try:
        for i in cells:
            t = time.monotonic()
            status, outputs = await execute(ws, session, nb.cells[i].source)
            timings[f"{name}: cell {i}"] = time.monotonic() - t
            if i == chk:
                results = [r for r in map(ex.parse_result, outputs) if r is not None]
                assert len(results) == 1, f"{name}'s check cell sent {len(results)} results: {text(outputs)}"
                result = results[0]
            else:
                assert status == "ok" and not any(o["output_type"] == "error" for o in outputs), \
                    f"{name}'s cell {i} failed ({status}): {text(outputs)}"
    finally:
        ws.close()
    code, _ = await call("DELETE", f"{base}/api/sessions/{sess['id']}", token)
    assert code == 204, code
    return token, result


async def class_session(hub, timings):
    t0 = time.monotonic()
    await wait_for_hub(hub)
    timings["the Hub and its proxy start"] = time.monotonic() - t0
    names = list(STUDENTS)

    code, body = await call("POST", f"{hub.url}/hub/api/users", hub.admin_token, {"usernames": names})
    assert code == 201, (code, body)
    # The shared password is the only key: a wrong one is refused, and so is the instructor's
    # name with the students' password.
    for who, pw in [(names[0], hub.password + "x"), ("instructor", hub.password)]:
        code, _ = await call("POST", f"{hub.url}/hub/api/users/{who}/tokens",
                             body={"auth": {"username": who, "password": pw}})
        assert code == 403, f"{who} logged in with a wrong password ({code})"
    code, _ = await call("GET", f"{hub.url}/hub/api/users", None)
    assert code == 403, code

    out = await asyncio.gather(*(student(hub, n, STUDENTS[n], timings) for n in names))
    tokens = {n: tok for n, (tok, _) in zip(names, out)}
    results = {n: r for n, (_, r) in zip(names, out)}

    # A student's token opens their own server only.
    code, _ = await call("GET", f"{hub.url}/user/{names[1]}/api/status", tokens[names[0]])
    assert code == 403, f"{names[0]} reached {names[1]}'s server ({code})"
    code, _ = await call("GET", f"{hub.url}/user/{names[0]}/api/status", tokens[names[0]])
    assert code == 200, code

    # The leftover check sees what runs: the Hub, the proxy and the three servers at least.
    alive = marked_processes(hub.marker)
    assert len(alive) >= 2 + len(names), "the leftover check misses processes: " + ", ".join(map(describe, alive))

    t0 = time.monotonic()
    stops = await asyncio.gather(*(call("DELETE", f"{hub.url}/hub/api/users/{n}/server", hub.admin_token)
                                   for n in names))
    assert all(code in (202, 204) for code, _ in stops), stops
    deadline = time.monotonic() + STOP_S
    for n in names:
        while (await call("GET", f"{hub.url}/hub/api/users/{n}", hub.admin_token))[1]["server"]:
            assert time.monotonic() < deadline, f"{n}'s server did not stop:\n{hub.log_tail()}"
            await asyncio.sleep(0.3)
    timings["stop the servers"] = time.monotonic() - t0
    return results


def test_class_on_jupyterhub(tmp_path):
    for p in (JUPYTERHUB, PROXY):
        assert p.exists(), f"{p} is missing: run `make hub-setup` (make test does)"
    handed_out = REPO / "lessons" / "exercises" / LESSON
    before = hashlib.sha256(handed_out.read_bytes()).hexdigest()
    lessons = {p.name for p in handed_out.parent.glob("[0-9][0-9]-*.ipynb")}
    timings = {}
    hub = Hub(tmp_path)
    try:
        results = asyncio.run(class_session(hub, timings))
    finally:
        t0 = time.monotonic()
        hub.stop()
        timings["stop the Hub and the proxy"] = time.monotonic() - t0
        print("\n".join(f"{v:6.1f} s  {k}" for k, v in timings.items()))
    assert not hub.leftovers, "processes left after the Hub stopped:\n" + "\n".join(hub.leftovers)
    assert hub.proc.returncode == 0, f"the Hub exited with {hub.proc.returncode}:\n{hub.log_tail()}"

    alice, bob, carol = (results[n] for n in STUDENTS)
    assert alice["passed"], alice
    # Sums instead of means: 3.27612 for the second input, 1.31901 expected.
    assert not bob["passed"] and "the output is 3.27612" in bob["message"], bob
    assert not carol["passed"] and "not implemented" in carol["message"], carol
    assert all(r["id"] == EXERCISE for r in results.values()), results

    # Each student's work is in their own folder; the handed-out notebook is untouched.
    homes = hub.state / "users"
    for n, solution in STUDENTS.items():
        mine = nbformat.read(homes / n / LESSON, as_version=4)
        src = [c.source for c in mine.cells]
        assert (solution in src) if solution else not any(CORRECT in s or WRONG in s for s in src), n
        assert lessons <= {p.name for p in homes.joinpath(n).glob("*.ipynb")}, n
    assert hashlib.sha256(handed_out.read_bytes()).hexdigest() == before
