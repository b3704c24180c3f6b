"""The soak's faults: what an operator's bad day does to the shop, on loopback, on a timetable.

While the shoppers shop (loadtest/soak.py), `Chaos` runs five faults one after another and
checks that the shop got over each:

1. **Redis** (the soak's own redis-server, never the machine's) is stopped for 20 s, then
   started again *empty*. Survived when the web workers' /readyz says the cache is "ok" again.
2. **A gunicorn worker** is SIGKILLed. Its in-flight request gets a broken connection (counted
   apart from 5xx). Survived when the master has started a replacement.
3. **A task worker** is SIGKILLed in the middle of sending a mail: the mail server holds the
   next message, the worker holding that connection is killed, and the message is refused (it
   never arrived), then the worker is started again. Survived when the outbox sends that mail
   (recovered once its claim expires) — checked with the books.
4. **The SMTP server** is down for 30 s. Survived when it is back and mail arrives again.
5. **Redis is frozen** (SIGSTOP) for 2 s while shoppers of the fault's own sign out, and
   change their passwords (which signs their other sessions out). Then it runs again with
   everything it held, and the web workers are reloaded (`kill -HUP`). Survived when no ended
   session is answered as signed in by any worker, before or after the reload: 0 resurrected
   sessions.

Every fault is bounded in time and touches only processes the soak started.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import reverse

from .server import sign_in, sign_up

HOST = "127.0.0.1"

REDIS_DOWN_SECONDS = 20
SMTP_DOWN_SECONDS = 30
REDIS_FROZEN_SECONDS = 2
# The shoppers who sign out (and change passwords) while Redis is frozen: accounts made for
# the fault through the sign-up form, within its limit of 5 an hour from one address.
LEAVERS = 4
# How long the ended sessions' cookies are tried again, before the reload and after it.
REPLAY_SECONDS = 8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of the soak's own on a free loopback port, without persistence."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("The soak's faults need redis-server: apt-get install redis-server")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [binary, "--bind", HOST, "--port", str(self.port), "--dir", str(self.directory),
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def freeze(self) -> None:
        """Stop the server in its tracks (SIGSTOP), as a stalled host or a long pause does:
        connections stay open and its memory is kept, but nothing is answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """Let a frozen server run again (SIGCONT), with everything it held."""
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # no goodbye: the cache is simply gone
            self.process.wait(10)
            self.process = None


def children(parent_pid: int) -> list[int]:
    """The pids of a process's children (a gunicorn master's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # The parent pid is the 2nd field after the command name, which may hold spaces.
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent_pid:
                found.append(int(stat.parent.name))
    return found


def pid_of_connection(local_port: int, candidates: list[int]) -> int | None:
    """Which of `candidates` owns the TCP socket bound to loopback port `local_port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == local_port:
                    inodes.add(fields[9])
    for pid in candidates:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    match = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(fd))
                    if match and match[1] in inodes:
                        return pid
    return None


class Trap:
    """Makes the mail server hold the next message, to catch a task worker mid-send.

    The soak's mailbox calls `waylay(peer_port)` before it accepts a message: while the trap
    is set, the first caller is held there until the trap is sprung, and the message is then
    refused (never counted as arrived), since its sender is dead by then.
    """

    def __init__(self):
        self._armed = threading.Event()
        self._caught = threading.Event()
        self._sprung = threading.Event()
        self._lock = threading.Lock()
        self.peer_port: int | None = None

    def arm(self) -> None:
        self._caught.clear()
        self._sprung.clear()
        self._armed.set()

    def waylay(self, peer_port: int) -> bool:
        """Called by the mailbox for each message; True: refuse it (the trap caught it)."""
        with self._lock:
            if not self._armed.is_set():
                return False
            self._armed.clear()
            self.peer_port = peer_port
        self._caught.set()
        self._sprung.wait(timeout=60)
        return True

    def wait_for_catch(self, timeout: float) -> bool:
        return self._caught.wait(timeout)

    def spring(self) -> None:
        self._armed.clear()
        self._sprung.set()


@dataclass
class Fault:
    name: str
    survived: bool = False
    detail: str = ""


@dataclass
class Chaos:
    """Runs the faults in a thread, a little apart, while the shoppers shop."""

    redis: OwnRedis
    gunicorn_master: Callable[[], int]
    web_workers: int
    task_workers: list  # the soak's run_worker processes, replaced in place when restarted
    restart_task_worker: Callable[[int], subprocess.Popen]
    trap: Trap
    smtp_stop: Callable[[], None]
    smtp_start: Callable[[], None]
    cache_ok: Callable[[], bool]
    say: Callable[[str], None]
    base_url: str = ""
    reload_web: Callable[[], None] = lambda: None
    gap: float = 8.0
    faults: list[Fault] = field(default_factory=list)
    # Requests answered as signed in for a session that had ended (fault 5): must stay 0.
    resurrected: int = 0

    def __post_init__(self):
        self._thread = threading.Thread(target=self._run, name="chaos", daemon=True)
        self._stop = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def stop(self) -> None:
        self._stop.set()
        self.trap.spring()

    def _pause(self, seconds: float) -> bool:
        """Wait, unless the soak is stopping; False if it is."""
        return not self._stop.wait(seconds)

    def _run(self) -> None:
        steps = [self._redis_outage, self._kill_web_worker, self._kill_task_worker_mid_send,
                 self._smtp_outage, self._sessions_ended_while_redis_froze]  # fmt: skip
        for step in steps:
            if not self._pause(self.gap):
                return
            fault = step()
            self.faults.append(fault)
            self.say(f"  fault: {fault.name}: {'survived' if fault.survived else 'NOT survived'}"
                     f"{' (' + fault.detail + ')' if fault.detail else ''}")  # fmt: skip

    def _until(self, condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self._stop.is_set():
            with contextlib.suppress(Exception):
                if condition():
                    return True
            time.sleep(0.5)
        return False

    def _redis_outage(self) -> Fault:
        fault = Fault(f"Redis stopped for {REDIS_DOWN_SECONDS} s, restarted empty")
        self.redis.stop()
        self._pause(REDIS_DOWN_SECONDS)
        self.redis.start()
        fault.survived = self._until(self.cache_ok, timeout=30)
        return fault

    def _kill_web_worker(self) -> Fault:
        master = self.gunicorn_master()
        victims = children(master)
        fault = Fault("a gunicorn worker SIGKILLed")
        if not victims:
            fault.detail = "no worker found"
            return fault
        victim = victims[0]
        os.kill(victim, signal.SIGKILL)
        fault.survived = self._until(
            lambda: victim not in children(master) and len(children(master)) >= self.web_workers,
            timeout=60,
        )
        fault.detail = f"pid {victim}"
        return fault

    def _kill_task_worker_mid_send(self) -> Fault:
        fault = Fault("a task worker SIGKILLed mid-send and restarted")
        self.trap.arm()
        if not self.trap.wait_for_catch(timeout=60):
            self.trap.spring()
            fault.detail = "no mail was sent within a minute to catch a worker with"
            return fault
        pids = [process.pid for process in self.task_workers]
        victim = pid_of_connection(self.trap.peer_port, pids)
        if victim is None:
            self.trap.spring()
            fault.detail = "could not tell which worker was sending"
            return fault
        index = pids.index(victim)
        os.kill(victim, signal.SIGKILL)
        self.task_workers[index].wait(10)
        self.trap.spring()  # the held message is refused: it never arrived
        self.task_workers[index] = self.restart_task_worker(index)
        fault.survived = self._until(lambda: self.task_workers[index].poll() is None, 10)
        fault.detail = f"pid {victim}; its mail is checked with the books"
        return fault

    def _smtp_outage(self) -> Fault:
        fault = Fault(f"SMTP server down for {SMTP_DOWN_SECONDS} s")
        self.smtp_stop()
        self._pause(SMTP_DOWN_SECONDS)
        self.smtp_start()
        fault.survived = True  # judged with the books: every mail owed arrives exactly once
        return fault

    def _sessions_ended_while_redis_froze(self) -> Fault:
        fault = Fault(
            f"Redis frozen for {REDIS_FROZEN_SECONDS} s while shoppers sign out and change "
            "passwords, then the web workers reloaded"
        )
        account = reverse("account")
        password = secrets.token_urlsafe(12)
        devices = []  # (laptop, phone) of each leaver, both signed in
        for number in range(LEAVERS):
            username = f"soak-leaver-{os.getpid()}-{number}"
            devices.append(
                (
                    sign_up(self.base_url, username, password),
                    sign_in(self.base_url, username, password),
                )
            )
        for laptop, phone in devices:  # every worker sees each session signed in
            for _ in range(2 * self.web_workers):
                laptop.get(self.base_url, account)
                phone.get(self.base_url, account)

        def leave(number: int, pair: tuple):
            """Sign the laptop out, or change the password there: (the session that ended, the
            one that must stay signed in)."""
            laptop, phone = pair
            if number % 2:
                new = secrets.token_urlsafe(12)
                form = {"old_password": password, "new_password1": new, "new_password2": new}
                changed = laptop.post(self.base_url, reverse("password_change"), form)
                return phone, laptop.after(changed)  # the laptop's session gets a new key
            laptop.post(self.base_url, reverse("logout"))
            return laptop, phone

        self.redis.freeze()
        try:
            with ThreadPoolExecutor(LEAVERS) as pool:
                outcomes = list(pool.map(leave, range(LEAVERS), devices))
            self._pause(REDIS_FROZEN_SECONDS)
        finally:
            self.redis.thaw()

        ended = [session for session, _ in outcomes]
        kept = [session for _, session in outcomes]

        def replay() -> tuple[int, int]:
            """(answers signed in for an ended session, answers signed out for a kept one)."""
            resurrected = lost = 0
            deadline = time.monotonic() + REPLAY_SECONDS
            while time.monotonic() < deadline and not self._stop.is_set():
                resurrected += sum(s.get(self.base_url, account).status == 200 for s in ended)
                lost += sum(s.get(self.base_url, account).status != 200 for s in kept)
                time.sleep(0.2)
            return resurrected, lost

        before = replay()
        self.reload_web()
        after = replay()
        self.resurrected = before[0] + after[0]
        lost = before[1] + after[1]
        # The sessions kept must stay signed in: a shop that signed everyone out would count
        # no resurrection either.
        fault.survived = self.resurrected == 0 and lost == 0
        fault.detail = f"{self.resurrected} resurrected sessions, {lost} kept ones signed out"
        return fault
