"""Serving the board: the Streamlit command line (with the Host/Origin guard), the sign-in
secrets Streamlit reads, and running it as a child that never outlives us."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from onrustradar.config import Config
from onrustradar.core.children import start_child, stop_child, stop_signals
from onrustradar.governance.access import is_loopback


def board_origins(address: str, port: int, urls: list[str | None]) -> tuple[list[str], list[str]]:
    """The host names and origins the board answers to: its bind address (with the loopback
    names when it is loopback), and the hosts of the configured board_url and sign-in
    redirect_uri. A WebSocket from any other Host or Origin is refused (DNS rebinding,
    cross-site use)."""

    hosts, origins = [], []
    if address and address not in ("0.0.0.0", "::"):
        hosts.append(address.strip("[]"))
    if is_loopback(address or "127.0.0.1"):
        hosts += ["localhost", "127.0.0.1", "::1"]
        origins += [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]
    for url in urls:
        if not url:
            continue
        parts = urlsplit(url)
        if parts.hostname:
            hosts.append(parts.hostname)
            origins.append(f"{parts.scheme}://{parts.netloc}")
    unique = lambda items: list(dict.fromkeys(items))  # noqa: E731
    return unique(hosts), unique(origins)


def board_command(
    config_path: Path, address: str, port: int, secrets: Path | None = None, urls: list[str | None] | None = None
) -> list[str]:
    """The Streamlit command line that serves the board, with its Host/Origin guard and only
    the generated secrets file."""
    # The board's file is found, not imported: the service sits below the board.
    spec = importlib.util.find_spec("dashboard")
    assert spec is not None and spec.origin is not None
    app_path = Path(spec.origin).with_name("app.py")
    hosts, origins = board_origins(address, port, urls or [])
    guard = ["--server.enableCORS", "true", "--server.enableXsrfProtection", "true"]
    for host in hosts:
        guard += ["--server.allowedHosts", host]
    for origin in origins:
        guard += ["--server.corsAllowedOrigins", origin]
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        *guard,
        # Only the generated file: no stray secrets.toml from the working directory or home.
        "--secrets.files",
        str(secrets or Path(os.devnull)),
        "--",
        "--config",
        str(config_path),
    ]


def write_streamlit_secrets(config: Config) -> Path:
    """Streamlit's st.login reads its OIDC settings from a secrets file: write one (mode 0600)
    from the config and the environment, next to the store."""
    provider = config.settings.auth.provider
    if provider is None:
        raise ValueError("auth.provider is not configured")
    values = {
        "redirect_uri": provider.redirect_uri,
        "cookie_secret": os.environ["ONRUSTRADAR_COOKIE_SECRET"],
        "client_id": provider.client_id,
        "client_secret": os.environ["ONRUSTRADAR_OIDC_CLIENT_SECRET"],
        "server_metadata_url": provider.server_metadata_url,
    }
    lines = ["[auth]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items() if k != "client_kwargs"]
    lines += [
        "",
        "[auth.client_kwargs]",
        f"scope = {json.dumps(provider.scopes)}",
        f"prompt = {json.dumps(provider.prompt)}",
    ]
    path = Path("var") / "board-secrets.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path.resolve()


def serve_board(cmd: list[str]) -> int:
    """Run Streamlit until it ends or we are stopped (Ctrl-C, SIGTERM, SIGHUP, also as a
    background job); it never outlives this process."""

    proc = None
    with stop_signals():
        try:
            proc = start_child(cmd)
            return proc.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            stop_child(proc)
