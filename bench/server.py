"""Start-up shared by the benches: a seeded temporary database and the app on a free loopback port.

    with bench_env(tmp) as env:              # migrate + load_evidence (+ collectstatic in production)
        with running_app(env) as base:       # gunicorn with cledss/gunicorn_conf.py; base = "http://127.0.0.1:PORT"
            ...

The production environment is the default because it is what a hospital runs: hashed, compressed
static files from whitenoise, DEBUG off, the security middleware on. Only what loopback needs is
relaxed: the allowed host is 127.0.0.1 and there is no HTTPS redirect (there is no proxy).
"""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from ehr import BenchEhr

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def app_env(tmp: str | Path, *, production: bool = True, database: str = "bench.sqlite3") -> dict[str, str]:
    """The environment of an app instance whose database and static files live in ``tmp``, with the bench's
    EHR registered for CDS Hooks (production starts only with its EHRs named)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{Path(tmp) / database}",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        **BenchEhr(str(Path(tmp) / "ehr")).environment(),
    }
    if production:
        env.update(
            DJANGO_ENV="production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_STATIC_ROOT=str(Path(tmp) / "static"),
        )
    else:
        env["DJANGO_ENV"] = "development"
    return env


def seed(env: dict[str, str]) -> None:
    """Migrate, load the seed evidence (version 1) and, in production, collect the static files."""
    manage = lambda *args: subprocess.run([*MANAGE, *args], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: E731
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("load_evidence")
    if env.get("DJANGO_ENV") == "production":
        manage("collectstatic", "--noinput", "--verbosity", "0")


@contextlib.contextmanager
def running_app(env: dict[str, str], *, server: str = "gunicorn", workers: int | None = None, gunicorn_args: str = ""):
    """Serve the app on a free loopback port until the block ends; yield its base URL.

    ``server`` is "gunicorn" (cledss/gunicorn_conf.py, as `make serve` runs it) or "runserver";
    ``gunicorn_args`` are command-line settings that override gunicorn_conf.py's (``--worker-class gthread``).
    """
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    if gunicorn_args:
        env["GUNICORN_CMD_ARGS"] = gunicorn_args
    if server == "gunicorn":
        command = [GUNICORN, "-c", "python:cledss.gunicorn_conf", "cledss.wsgi"]
    else:
        command = [*MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"]
    # The server's log goes to a file, not a pipe: nobody reads a pipe until the end, and a full one
    # (64 KiB of warnings) would stop every worker in the middle of a write.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health/")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.seek(0)
        lines = log.read().decode(errors="replace").splitlines()
        log.close()
        # gunicorn's error log (already free of query strings) explains any failed request.
        problems = [line for line in lines if "[ERROR]" in line or "[CRITICAL]" in line or "WARNING" in line]
        if problems:
            print(f"server logged {len(problems)} warning or error line(s), first: {problems[0]}", file=sys.stderr)
