"""Child processes that never outlive the command that started them.

`board` and `demo` start a Streamlit server, `crawl` and `run` a crawl child. Stopping the
parent — Ctrl-C in the foreground, SIGTERM from a service manager or `kill`, SIGINT to a
background job, even SIGKILL — must stop the child too, or an orphan keeps holding the port
or writing to the store. Two layers: the parent turns SIGTERM/SIGHUP into KeyboardInterrupt
and stops its children in `finally`, and on Linux each child asks the kernel for a signal
when its parent dies (PR_SET_PDEATHSIG), which also covers a parent killed outright.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM, parent: int | None = None) -> None:
    """Ask the kernel to send `sig` to this process when its parent dies (Linux only). If the
    parent is already gone (it died between fork and this call), go at once."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), sig)


def start_child(cmd: list[str], **popen) -> subprocess.Popen:
    """Popen a server that is stopped with SIGTERM when this process dies, however it dies."""
    parent = os.getpid()
    return subprocess.Popen(cmd, preexec_fn=lambda: die_with_parent(signal.SIGTERM, parent), **popen)


def stop_child(proc: subprocess.Popen | None, grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds; always reaped."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _interrupt(signum, _frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def stop_signals():
    """Within: SIGINT, SIGTERM and SIGHUP all raise KeyboardInterrupt in the main thread, also
    when the shell started us with SIGINT ignored (a background job), so `finally` blocks run."""
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def port_in_use(address: str, port: int) -> bool:
    """True when something already listens on address:port (binding as a server would fails)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # Like the server will: SO_REUSEADDR ignores sockets in TIME_WAIT, not a listener.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address.strip("[]"), port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def port_error(address: str, port: int) -> str:
    """The one-line Dutch message for a busy port."""
    return (
        f"fout: poort {port} op {address} is al in gebruik (draait het board al?); "
        f"stop dat proces of kies een andere poort met --port"
    )
