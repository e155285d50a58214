# JupyterHub for a class on this machine (hub/README.md): `make hub` runs it.
#
# Everything listens on 127.0.0.1 only. Students log in with any user name and the shared
# password (JupyterHub's SharedPasswordAuthenticator); each gets a Jupyter server of their own
# (SimpleLocalProcessSpawner: the same system user as the hub, a folder per student, no
# system accounts) with the "Go (gonb)" kernel of the kit's .venv and a copy of the student
# notebooks (lessons/exercises/*.ipynb).
#
# Settings, from the environment (all optional):
#   GANKIT_HUB_STATE           folder for the hub's database, secrets, passwords and the
#                              students' folders (<state>/users/<name>); default hub/_state
#                              (outside .venv, so that `make clean` keeps the students' work;
#                              the underscore keeps the go tool's ./... out of it)
#   GANKIT_HUB_PORT            the port students open: http://127.0.0.1:<port>/ (default 8000)
#   GANKIT_HUB_INTERNAL_PORT   the Hub's own port behind the proxy (default 8081)
#   GANKIT_HUB_PROXY_API_PORT  the proxy's REST API port (default 8001)
#   GANKIT_HUB_PASSWORD        the students' shared password (8 characters or more); default:
#                              generated once into <state>/student-password
#   GANKIT_HUB_ADMIN           the instructor's user name (default "instructor"), who logs in
#   GANKIT_HUB_ADMIN_PASSWORD  with this password (32 characters or more); default: generated
#                              once into <state>/admin-password
#   GANKIT_HUB_USERS           user names allowed to log in, separated by commas or spaces;
#                              default: any name with the shared password
#   GANKIT_HUB_API_TOKEN       if set, an admin token for the Hub's REST API (service
#                              "class-admin": create and delete users, start and stop servers)
#   GANKIT_HUB_NOTEBOOKS       the folder whose *.ipynb each student gets (default lessons/exercises)

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

ROOT = Path(__file__).resolve().parent.parent  # the kit: <root>/hub/jupyterhub_config.py
VENV = ROOT / ".venv"
STATE = Path(os.environ.get("GANKIT_HUB_STATE") or ROOT / "hub" / "_state").resolve()
NOTEBOOKS = Path(os.environ.get("GANKIT_HUB_NOTEBOOKS") or ROOT / "lessons" / "exercises").resolve()
PROXY = VENV / "hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
SINGLEUSER = VENV / "bin" / "jupyterhub-singleuser"
KERNEL_JSON = VENV / "share" / "jupyter" / "kernels" / "gonb" / "kernel.json"


def port(name, default):
    return int(os.environ.get(name) or default)


def password(env, file, nbytes):
    """The password in $env, else the one in <state>/file, generated there the first time."""
    if os.environ.get(env):
        return os.environ[env]
    p = STATE / file
    if not p.exists():
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(nbytes) + "\n")
    return p.read_text().strip()


for path, what in [(PROXY, "configurable-http-proxy"), (SINGLEUSER, "jupyterhub-singleuser"),
                   (KERNEL_JSON, "the GoNB kernelspec")]:
    if not path.exists():
        sys.exit(f"hub: {what} is missing ({path}); run `make hub-setup` in {ROOT}")
STATE.mkdir(parents=True, exist_ok=True)
os.chmod(STATE, 0o700)

# --- network: loopback only -------------------------------------------------------------
PORT = port("GANKIT_HUB_PORT", 8000)
c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{port('GANKIT_HUB_INTERNAL_PORT', 8081)}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port('GANKIT_HUB_PROXY_API_PORT', 8001)}"
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.Spawner.ip = "127.0.0.1"

# --- state --------------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- who logs in ---------------------------------------------------------------------------
ADMIN = os.environ.get("GANKIT_HUB_ADMIN") or "instructor"
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = password("GANKIT_HUB_PASSWORD", "student-password", 12)
c.SharedPasswordAuthenticator.admin_password = password("GANKIT_HUB_ADMIN_PASSWORD", "admin-password", 32)
c.Authenticator.admin_users = {ADMIN}
# Names become folder names: keep them plain.
c.Authenticator.username_pattern = r"^[a-z0-9][a-z0-9._-]{0,63}$"
USERS = os.environ.get("GANKIT_HUB_USERS", "").replace(",", " ").split()
if USERS:
    c.Authenticator.allowed_users = set(USERS)
else:
    c.Authenticator.allow_all = True

if os.environ.get("GANKIT_HUB_API_TOKEN"):
    c.JupyterHub.services = [{"name": "class-admin", "api_token": os.environ["GANKIT_HUB_API_TOKEN"]}]
    c.JupyterHub.load_roles = [{
        "name": "class-admin",
        "description": "creates and deletes users, starts and stops their servers",
        "scopes": ["admin:users", "admin:servers"],
        "services": ["class-admin"],
    }]

# --- each student's server ----------------------------------------------------------------
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "users" / "{username}")
c.Spawner.cmd = [str(SINGLEUSER)]
c.Spawner.default_url = "/lab"
if os.getuid() == 0:
    c.Spawner.args = ["--allow-root"]


def go_env():
    """GOCACHE, GOMODCACHE and GOPATH as the kernel's go command sees them for the user who
    runs the hub: every student's kernel shares them (each student's HOME is their own
    folder, where Go would otherwise start an empty cache and download every module again)."""
    env = dict(os.environ, **json.loads(KERNEL_JSON.read_text()).get("env", {}))
    go = shutil.which("go", path=env.get("PATH"))
    if go is None:
        sys.exit(f"hub: no go command on the kernel's PATH ({KERNEL_JSON})")
    names = ["GOCACHE", "GOMODCACHE", "GOPATH"]
    out = subprocess.run([go, "env", *names], env=env, capture_output=True, text=True, check=True)
    return dict(zip(names, out.stdout.splitlines()))


c.Spawner.environment = {
    # The kit, for the lessons' set-up cell (which falls back to a path relative to the
    # notebook, wrong from a student's folder).
    "GANKIT_ROOT": str(ROOT),
    # The venv's kernelspec wins over any other "gonb".
    "JUPYTER_PREFER_ENV_PATH": "1",
    **go_env(),
}


def hand_out_notebooks(spawner):
    """Before each start: the student's folder, with a copy of every student notebook it
    does not hold yet (a student's own copy is never overwritten)."""
    home = Path(spawner.home_dir)
    home.mkdir(parents=True, exist_ok=True)
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        if not (home / nb.name).exists():
            shutil.copyfile(nb, home / nb.name)


c.Spawner.pre_spawn_hook = hand_out_notebooks


def where(env, file):
    return f"${env}" if os.environ.get(env) else str(STATE / file)


print(f"hub: students log in at http://127.0.0.1:{PORT}/ with {'a name in GANKIT_HUB_USERS' if USERS else 'any name'}"
      f" and the password in {where('GANKIT_HUB_PASSWORD', 'student-password')};"
      f" {ADMIN} with the one in {where('GANKIT_HUB_ADMIN_PASSWORD', 'admin-password')}", file=sys.stderr)
