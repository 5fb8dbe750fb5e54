"""Shared test helpers: a pseudonym key, throw-away configs, and real loopback servers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Fixtures shared across the test folders (a conftest.py in a folder would take the module name
# `conftest` from this one, and `from conftest import ...` would stop working): the two store
# backends, headless Chromium, the SMTP server and the digest scenario.
pytest_plugins = ["store_backends", "chromium", "smtp_server", "digest_scenario"]

TEST_KEY = "test-pseudonym-key-0123456789abcdef"

os.environ.setdefault("ONRUSTRADAR_PSEUDONYM_KEY", TEST_KEY)
# The tests' fixed audit key (a deployment sets its own secret; see docs/security.md).
TEST_AUDIT_KEY = "test-audit-key-0123456789abcdef"
os.environ.setdefault("ONRUSTRADAR_AUDIT_KEY", TEST_AUDIT_KEY)

# An identity provider that is configured but never reached: enough for the board to require sign-in.
AUTH_PROVIDER = {
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    "client_id": "x",
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
}


def write_config(directory: Path, **settings) -> Path:
    """A config dir with the shipped keyword lists and the given onrustradar.yml settings."""
    shutil.copytree(
        ROOT / "config" / "keywords",
        directory / "keywords",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("history.jsonl"),
    )
    shutil.copytree(ROOT / "config" / "calendars", directory / "calendars", dirs_exist_ok=True)
    data = {"gemeenten": ["Zwolle"], "store": {"backend": "sqlite", "path": str(directory / "store.sqlite")}}
    data.update(settings)
    data.setdefault("audit_log", str(directory / "audit.jsonl"))
    if "watches" not in settings and data.get("sources"):
        # Every source belongs to a watch; tests that are not about watches get one that runs.
        data["watches"] = [
            {
                "name": "test",
                "purpose": "test",
                "legal_basis": "test",
                "aanleiding": "test",
                "owner": "test",
                "gemeenten": data["gemeenten"],
                "expires": "2099-12-31",
                "sources": [s["name"] for s in data["sources"]],
                "keywords": ["demonstratie", "scootermeeting", "supporters", "incident"],
            }
        ]
    path = directory / "onrustradar.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def cli(
    *args: str, env: dict | None = None, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run the real `onrustradar` entry point in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    exe = Path(sys.executable).with_name("onrustradar")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=full_env, cwd=cwd or ROOT, timeout=timeout
    )


def board_app(user: dict | None = None, address: str = "127.0.0.1"):
    """The board under Streamlit's AppTest, as served on `address`, optionally signed in."""
    from streamlit import config as st_config
    from streamlit.testing.v1 import AppTest

    st_config.set_option("server.address", address)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=30)
    if user is not None:
        at.user = {"is_logged_in": True, **user}
    return at
