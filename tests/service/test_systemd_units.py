"""The systemd units in deploy/systemd/ (run, board, nightly backup) are valid (`systemd-analyze verify`) and sandboxed
(`systemd-analyze security --offline`: overall exposure at most 2.0, "OK"), with ExecStart
pointed at this checkout's entry point so verify can check the command exists."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

UNITS = sorted(p for p in (ROOT / "deploy" / "systemd").iterdir() if p.suffix in (".service", ".timer"))
ANALYZE = shutil.which("systemd-analyze")
pytestmark = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze not installed (no systemd on this machine)")


@pytest.fixture
def units(tmp_path):
    exe = Path(sys.executable).with_name("onrustradar")
    out = []
    for unit in UNITS:
        target = tmp_path / unit.name
        target.write_text(
            unit.read_text(encoding="utf-8").replace("/opt/onrustradar/.venv/bin/onrustradar", str(exe)),
            encoding="utf-8",
        )
        out.append(target)
    return out


def test_units_for_run_board_and_backup_exist():
    assert {u.name for u in UNITS} == {
        "onrustradar-run.service",
        "onrustradar-board.service",
        "onrustradar-backup.service",
        "onrustradar-backup.timer",
    }
    board = (ROOT / "deploy" / "systemd" / "onrustradar-board.service").read_text(encoding="utf-8")
    assert re.search(r"^ExecStart=\S+ board --address 127\.0\.0\.1 ", board, re.M)  # only the proxy reaches it


def test_units_verify_cleanly(units):
    result = subprocess.run([ANALYZE, "verify", *map(str, units)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # no unknown keys, no warnings


def test_units_are_sandboxed(units):
    for unit in (u for u in units if u.suffix == ".service"):
        result = subprocess.run(
            [ANALYZE, "security", "--offline=true", str(unit)], capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0 and "offline" in result.stderr:
            pytest.skip(f"this systemd-analyze cannot judge unit files offline: {result.stderr.strip()[:200]}")
        level = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
        assert level, result.stdout[-500:] + result.stderr
        assert float(level.group(1)) <= 2.0, result.stdout
