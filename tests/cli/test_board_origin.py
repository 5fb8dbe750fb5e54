"""The board refuses a WebSocket with a foreign Host header (DNS rebinding) or a cross-origin
Origin: only its own address, loopback names in demo mode, and the configured board_url /
redirect_uri hosts. Against the real `onrustradar board` process on 127.0.0.1."""

import base64
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, write_config

from onrustradar.service.board import board_origins


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _upgrade(port: int, host: str, origin: str | None) -> int:
    """Status of a WebSocket upgrade to the board's stream with these headers."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
    ]
    if origin:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status = conn.recv(4096).split(b"\r\n", 1)[0]
    return int(status.split()[1])


@pytest.fixture
def board(tmp_path):
    config = write_config(tmp_path, digest={"board_url": "https://onrust.gemeente.example/"})
    port = _free_port()
    exe = Path(sys.executable).with_name("onrustradar")
    proc = subprocess.Popen(
        [str(exe), "--config", str(config), "board", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("board did not start")
        time.sleep(1)
        yield port
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


@pytest.mark.slow
def test_foreign_host_and_cross_origin_websockets_are_refused(board):
    port = board
    assert _upgrade(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}") == 101
    assert _upgrade(port, f"localhost:{port}", None) == 101
    assert _upgrade(port, "onrust.gemeente.example", "https://onrust.gemeente.example") == 101
    assert _upgrade(port, f"evil.example:{port}", f"http://evil.example:{port}") != 101  # DNS rebinding
    assert _upgrade(port, f"127.0.0.1:{port}", "http://evil.example") != 101  # cross-origin


def test_origin_lists():
    hosts, origins = board_origins("0.0.0.0", 8501, ["https://bord.gemeente.nl/", None])
    assert hosts == ["bord.gemeente.nl"] and origins == ["https://bord.gemeente.nl"]
    hosts, _ = board_origins("127.0.0.1", 8501, [])
    assert "localhost" in hosts and "127.0.0.1" in hosts
