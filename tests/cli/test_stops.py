"""Clean stops: stopping `board`, `demo`, `crawl` or `run` — Ctrl-C, SIGTERM, SIGINT to a
background job, even SIGKILL — leaves no Streamlit server holding the port and no crawl child.
Real processes, found through /proc."""

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, write_config
from loopback import Loopback, Reply
from procs import alive, cmdline, descendants, free_port, listen_sockets, listening, streamlit_processes, wait_for

EXE = str(Path(sys.executable).with_name("onrustradar"))
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _ignore_sigint():
    # What a non-interactive shell does to a job started with `&`.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(args, tmp_path, background=False):
    return subprocess.Popen(
        [EXE, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_ignore_sigint if background else None,
    )


def _started_board(proc, port):
    assert wait_for(lambda: listening(port) or proc.poll() is not None, timeout=90), "board did not start"
    assert proc.poll() is None, proc.communicate()[1]
    servers = [p for p in descendants(proc.pid) if "streamlit" in cmdline(p)]
    assert servers, "no Streamlit child found"
    return servers


def _assert_all_gone(pids, port):
    assert wait_for(lambda: not any(alive(p) for p in pids), timeout=30), [cmdline(p) for p in pids if alive(p)]
    assert not streamlit_processes(port)
    assert wait_for(lambda: listen_sockets(port) == 0, timeout=10), "a server still listens on the port"


@pytest.mark.slow
@pytest.mark.parametrize("how", ["sigterm", "sigint-background", "ctrl-c", "sigkill"])
def test_stopping_the_board_stops_streamlit(tmp_path, how):
    config = write_config(tmp_path)
    port = free_port()
    proc = _start(
        ["--config", str(config), "board", "--port", str(port)], tmp_path, background=how == "sigint-background"
    )
    try:
        servers = _started_board(proc, port)
        tree = descendants(proc.pid)
        if how == "sigterm":
            proc.send_signal(signal.SIGTERM)
        elif how == "sigint-background":
            proc.send_signal(signal.SIGINT)  # `kill -INT` to the job: only the parent hears it
        elif how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # the terminal signals the whole foreground group
        else:
            proc.kill()  # no handler runs: the kernel's parent-death signal must do it
        proc.wait(timeout=30)
        _assert_all_gone(servers + tree, port)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for pid in streamlit_processes(port):
            os.kill(pid, signal.SIGKILL)


def test_busy_port_is_one_dutch_line(tmp_path):
    config = write_config(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [EXE, "--config", str(config), "board", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 1
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and "al in gebruik" in lines[0] and str(port) in lines[0], out.stderr
        assert "Traceback" not in out.stderr
        assert not streamlit_processes(port)


def _demo_config(tmp_path):
    data = yaml.safe_load((ROOT / "config" / "demo.yml").read_text(encoding="utf-8"))
    data["store"]["path"] = str(tmp_path / "demo.sqlite")
    data["audit_log"] = str(tmp_path / "audit.jsonl")
    return write_config(tmp_path, **data)


@pytest.mark.slow
def test_demo_port_busy_is_refused(tmp_path):
    config = _demo_config(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [EXE, "--config", str(config), "demo", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 1 and "al in gebruik" in out.stderr.strip().splitlines()[-1], out.stderr


@pytest.mark.slow
@pytest.mark.parametrize("how", ["sigterm", "sigint-background"])
def test_stopping_the_demo_stops_board_and_crawls(tmp_path, how):
    config = _demo_config(tmp_path)
    port = free_port()
    proc = _start(
        ["--config", str(config), "demo", "--port", str(port), "--live-every", "2"],
        tmp_path,
        background=how == "sigint-background",
    )
    try:
        servers = _started_board(proc, port)
        assert streamlit_processes(port)  # the board listens where --port said
        # let at least one crawl round start, so a crawl child may be running when we stop
        wait_for(lambda: any("multiprocessing" in cmdline(p) for p in descendants(proc.pid)), timeout=30)
        tree = descendants(proc.pid)
        proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGINT)
        proc.wait(timeout=60)
        _assert_all_gone(servers + tree, port)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for pid in streamlit_processes(port):
            os.kill(pid, signal.SIGKILL)


def _hanging_source(tmp_path, interval="1s"):
    server = Loopback()
    server.route(
        "/feed.xml",
        Reply("<rss version='2.0'><channel><title>t</title></channel></rss>", ctype="application/rss+xml", delay=120),
    )
    config = write_config(
        tmp_path,
        schedule={"process_interval": "1s"},
        crawl={"timeout": 300, "retries": 0},
        sources=[{"name": "traag", "type": "rss", "url": f"{server.url}/feed.xml", "interval": interval}],
    )
    return server, config


def _crawl_child(proc):
    found = []
    assert wait_for(
        lambda: found.extend(p for p in descendants(proc.pid) if "multiprocessing" in cmdline(p)) or found, timeout=60
    ), "no crawl child started"
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    "command,how",
    [("run", "sigterm"), ("run", "sigint"), ("run", "sigkill"), ("crawl", "sigterm"), ("crawl", "sigkill")],
)
def test_stopping_crawl_or_run_stops_the_crawl_child(tmp_path, command, how):
    server, config = _hanging_source(tmp_path)
    proc = _start(["--config", str(config), command], tmp_path)
    try:
        children = _crawl_child(proc)
        {"sigterm": proc.terminate, "sigint": lambda: proc.send_signal(signal.SIGINT), "sigkill": proc.kill}[how]()
        proc.wait(timeout=30)  # promptly: not after the hanging source's 120 s
        assert wait_for(lambda: not any(alive(p) for p in children), timeout=15), "crawl child outlived its parent"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        server.close()


def _crawl_in_thread(config_path):
    from crawlers.runner import crawl
    from onrustradar.config import load_config

    settings = load_config(config_path).settings
    outcome: dict = {}

    def go():
        try:
            outcome["reports"] = crawl(settings, ["traag"])
        except BaseException as exc:  # noqa: BLE001 — the test inspects it
            outcome["error"] = exc

    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.slow
def test_a_stop_before_the_crawl_child_is_registered_still_stops_the_crawl(tmp_path):
    """The race `run` lost once in CI: SIGINT came while the crawl child was being spawned, so
    the stop found no child to kill and the crawl ran on for the hanging source's 120 s."""
    from crawlers.runner import CrawlStopped, resume_crawls, stop_crawls

    server, config = _hanging_source(tmp_path)
    try:
        stop_crawls()  # the stop wins the race: no child may start at all
        before = set(descendants(os.getpid()))
        thread, outcome = _crawl_in_thread(config)
        thread.join(timeout=10)
        assert not thread.is_alive() and isinstance(outcome.get("error"), CrawlStopped), outcome
        assert not any("multiprocessing" in cmdline(p) for p in set(descendants(os.getpid())) - before)

        resume_crawls()  # the child wins the race: registered first, then killed by the stop
        thread, outcome = _crawl_in_thread(config)
        assert wait_for(lambda: any("multiprocessing" in cmdline(p) for p in descendants(os.getpid())), timeout=60)
        stop_crawls()
        thread.join(timeout=30)
        assert not thread.is_alive(), "the crawl waited for the hanging source"
        assert isinstance(outcome.get("error"), CrawlStopped), outcome
    finally:
        resume_crawls()
        server.close()
