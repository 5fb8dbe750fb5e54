"""The real board in headless Chromium (Debian's `chromium` + `chromium-driver`, driven with
Selenium) against a demo store: the Signalen page shows the demo's four categories. The
screenshot is kept as a test artifact in test-artifacts/board.png."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, cli, write_config

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(
    (CHROMIUM is None or DRIVER is None) and os.environ.get("CI") != "true",
    reason="Debian's chromium and chromium-driver are not installed (make test installs them where apt is available)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def board_url(tmp_path_factory):
    assert CHROMIUM and DRIVER, "chromium and chromedriver are required in CI"
    directory = tmp_path_factory.mktemp("browser")
    data = yaml.safe_load((ROOT / "config" / "demo.yml").read_text(encoding="utf-8"))
    data["store"]["path"] = str(directory / "demo.sqlite")
    config = write_config(directory, **data)
    result = cli("--config", str(config), "demo", "--headless", "--once")
    assert result.returncode == 0, result.stderr[-2000:]
    port = free_port()
    exe = Path(sys.executable).with_name("onrustradar")
    proc = subprocess.Popen([str(exe), "--config", str(config), "board", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(proc.pid, 9)
        pytest.fail("board did not start")
    yield url
    os.killpg(proc.pid, 15)
    proc.wait(timeout=20)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1800", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def test_signalen_page_shows_the_four_categories(board_url, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(board_url)
    WebDriverWait(browser, 60).until(lambda d: " signalen · bijgewerkt" in d.find_element(By.TAG_NAME, "body").text)
    body = browser.find_element(By.TAG_NAME, "body").text
    for label in ("Demonstratie", "Scootermeeting", "Supporters", "Incident"):
        assert label in body, label
    assert "bevestigd" in body and "Komende dagen" in body and "Gebeurd" in body
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "board.png"))
    assert (ARTIFACTS / "board.png").stat().st_size > 20_000
