"""The shop in its production configuration on a loopback port, and the clients' cookies.

`Server` runs gunicorn (2 sync workers, WhiteNoise serving the collected static files,
DEBUG off) in its own process group and always stops the whole group, whatever happens to the
harness. `sign_in` and `visitor` get the cookies a real browser would hold, through the real
sign-in form.
"""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

HOST = "127.0.0.1"  # only loopback addresses are ever load targets
# The signing secret the benchmark's webhook events are signed with (loadtest/measure.py).
WEBHOOK_SECRET = "whsec_loadtest"
MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
LOADTEST = [sys.executable, "-m", "loadtest"]


class ServerError(RuntimeError):
    pass


def production_env(*, database_url: str, static_root: Path, secret_key: str) -> dict[str, str]:
    """The environment of the production configuration, pointed at a benchmark database.

    Everything else (CACHE_URL, CONN_MAX_AGE, ...) comes from the caller's environment, so
    `CACHE_URL=redis://127.0.0.1:6379/0 make bench` measures the shop with Redis.
    """
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secret_key,  # throwaway: made for this run, forgotten after it
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "ALLOWED_HOSTS": HOST,
        # Plain HTTP on loopback: no redirect to HTTPS, no Secure-only cookies.
        "HTTPS": "false",
        # Sixteen connections from one address posting comments as fast as they can.
        "RATE_LIMITS_ENABLED": "false",
        # Test payments: the sandbox's defaults, and a webhook secret the harness signs with.
        "PAYMENTS_TRIAL": "true",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "LOG_LEVEL": "WARNING",
    }


def manage(*args: str, env: dict[str, str]) -> str:
    """Run `manage.py <args>` in `env`; its standard output, or ServerError with its output."""
    return _run(MANAGE, args, env)


def loadtest(*args: str, env: dict[str, str]) -> str:
    """Run `python -m loadtest <args>` in `env` (a database of its own), like `manage()`."""
    return _run(LOADTEST, args, env)


def _run(program: list[str], args: tuple[str, ...], env: dict[str, str]) -> str:
    completed = subprocess.run(
        [*program, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        command = " ".join([*program[1:], *args])
        raise ServerError(f"{command} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


class Server:
    """gunicorn on HOST:port; use it as a context manager so it is always stopped."""

    def __init__(
        self,
        *,
        port: int,
        env: dict[str, str],
        log_path: Path,
        workers: int | None = None,
        worker_class: str | None = None,
        threads: int | None = None,
    ):
        """Everything not given here is gunicorn.conf.py's: the configuration `make serve`
        ships."""
        self.port = port
        self.env = env
        self.log_path = log_path
        self.options = [
            f"--{name}={value}"
            for name, value in (
                ("workers", workers),
                ("worker-class", worker_class),
                ("threads", threads),
            )
            if value is not None
        ]
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> "Server":
        with socket.socket() as probe:
            if probe.connect_ex((HOST, self.port)) == 0:
                raise ServerError(f"Port {self.port} is taken; choose another with --port.")
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "storefront.wsgi"),
                    f"--bind={HOST}:{self.port}",
                    *self.options,
                ],
                env=self.env,
                cwd=settings.BASE_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                # A process group of its own: stop() ends the master and every worker, and a
                # Ctrl+C in the terminal reaches the harness, which then stops it cleanly.
                start_new_session=True,
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _wait_until_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited:\n{self.log_path.read_text()}")
            try:
                if fetch(self.url, "GET", "/healthz").status == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.1)
        raise ServerError(f"gunicorn did not answer /healthz in {timeout} s; see {self.log_path}")

    def reload(self, timeout: float = 30) -> None:
        """Reload as an operator's `kill -HUP` does: gunicorn starts new workers and retires
        the old ones. Returns once none of the old workers is left and the new ones answer."""
        old = _children(self.process.pid)
        os.kill(self.process.pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            workers = _children(self.process.pid)
            if workers and not workers & old:
                self._wait_until_healthy()
                return
            time.sleep(0.1)
        raise ServerError(f"gunicorn did not replace its workers in {timeout} s")

    def stop(self) -> None:
        if self.process is None:
            return
        group = self.process.pid  # the session leader's pid is the group's id
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGINT)  # gunicorn: INT is a quick shutdown
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        # Whatever is left (a worker that hung, or outlived a master that crashed) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self.process.wait()
        self.process = None


def _children(pid: int) -> set[int]:
    """The processes `pid` started (gunicorn's workers), from Linux's /proc."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return {int(child) for child in children.read().split()}
    except FileNotFoundError:
        return set()


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for header in self.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}


def fetch(base_url: str, method: str, path: str, headers=None, body: str | None = None):
    """One request without following redirects: the status, headers and text of the answer."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, answer.headers, answer.read().decode())
    finally:
        connection.close()


@dataclass(frozen=True)
class Session:
    """What a client sends with every request: its cookies, and the CSRF token for POSTs."""

    cookie: str
    csrf: str

    def get(self, base_url: str, path: str) -> Response:
        return fetch(base_url, "GET", path, headers={"Cookie": self.cookie})

    def post(self, base_url: str, path: str, form: dict | None = None) -> Response:
        """A form posted as a browser posts it, with the CSRF token in its header."""
        return fetch(
            base_url,
            "POST",
            path,
            headers={
                "Cookie": self.cookie,
                "X-CSRFToken": self.csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=urlencode(form or {}),
        )

    def after(self, answer: Response) -> "Session":
        """This session with the cookies `answer` set, as a browser keeps them."""
        cookies = dict(pair.split("=", 1) for pair in self.cookie.split("; ")) | answer.cookies()
        return Session(_cookie_header(cookies), cookies[settings.CSRF_COOKIE_NAME])


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def visitor(base_url: str) -> Session:
    """A visitor who has seen the catalog once: the CSRF cookie every page would set."""
    cookies = fetch(base_url, "GET", reverse("catalog:product_list")).cookies()
    return Session(_cookie_header(cookies), cookies[settings.CSRF_COOKIE_NAME])


def visitor_with_cart(base_url: str, add_path: str) -> Session:
    """A visitor who added a product to a cart without signing in, as the page's form does
    (htmx, with the CSRF token in a header): their session cookie and CSRF token."""
    cookies = fetch(base_url, "GET", reverse("catalog:product_list")).cookies()
    answer = fetch(
        base_url,
        "POST",
        add_path,
        headers={
            "Cookie": _cookie_header(cookies),
            "X-CSRFToken": cookies[settings.CSRF_COOKIE_NAME],
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body="quantity=1",
    )
    cookies |= answer.cookies()
    if answer.status != 200 or settings.SESSION_COOKIE_NAME not in cookies:
        raise ServerError(f"A visitor's add to cart ({add_path}) answered {answer.status}.")
    return Session(_cookie_header(cookies), cookies[settings.CSRF_COOKIE_NAME])


def sign_in(base_url: str, username: str, password: str) -> Session:
    """Sign in through the real form; the session cookie and the CSRF token (rotated at sign-in)."""
    login = reverse("login")
    page = fetch(base_url, "GET", login)
    cookies = page.cookies()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if token is None:
        raise ServerError(f"The sign-in page ({page.status}) has no CSRF token.")
    answer = fetch(
        base_url,
        "POST",
        login,
        headers={
            "Cookie": _cookie_header(cookies),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
        ),
    )
    cookies |= answer.cookies()
    if answer.status != 302 or settings.SESSION_COOKIE_NAME not in cookies:
        raise ServerError(f"Signing in as {username} failed ({answer.status}).")
    return Session(_cookie_header(cookies), cookies[settings.CSRF_COOKIE_NAME])


def sign_up(base_url: str, username: str, password: str) -> Session:
    """Make an account through the real sign-up form, which signs it in: its session."""
    signup = reverse("signup")
    page = fetch(base_url, "GET", signup)
    session = Session(_cookie_header(page.cookies()), page.cookies()[settings.CSRF_COOKIE_NAME])
    answer = session.post(
        base_url,
        signup,
        {
            "username": username,
            "email": f"{username}@example.com",
            "password1": password,
            "password2": password,
        },
    )
    if answer.status != 302 or settings.SESSION_COOKIE_NAME not in answer.cookies():
        raise ServerError(f"Signing up as {username} failed ({answer.status}).")
    return session.after(answer)
