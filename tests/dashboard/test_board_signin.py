"""Sign-in end to end: the board (Streamlit's st.login) against a real OpenID Connect
provider (node-oidc-provider from npm, tests/oidc/provider.mjs) on 127.0.0.1, driven in
headless Chromium. Unauthenticated visitors are sent to the provider; a `lezer` of Zwolle sees
the Signalen page with Zwolle's signals only; a user without a role is refused."""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from chromium import CHROMIUM, DRIVER
from conftest import ROOT, cli, write_config
from procs import free_port

OIDC = ROOT / "tests" / "oidc"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.oidc,
    pytest.mark.slow,
    pytest.mark.skipif(
        (CHROMIUM is None or DRIVER is None or NODE is None or not (OIDC / "node_modules" / "oidc-provider").exists())
        and os.environ.get("CI") != "true",
        reason="needs chromium, chromedriver, node and tests/oidc/node_modules (make test installs them)",
    ),
]


def _wait_http(url: str, proc, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{url}: process exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not come up")


@pytest.fixture(scope="module")
def signed_board(tmp_path_factory):
    assert CHROMIUM and DRIVER and NODE, "chromium, chromedriver and node are required in CI"
    directory = tmp_path_factory.mktemp("signin")
    idp_port, board_port = free_port(), free_port()
    board = f"http://127.0.0.1:{board_port}"
    secret = "test-client-secret-0123456789"
    idp = subprocess.Popen(
        [NODE, str(OIDC / "provider.mjs"), str(idp_port), f"{board}/oauth2callback", secret],
        cwd=OIDC,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_http(f"http://127.0.0.1:{idp_port}/.well-known/openid-configuration", idp)

    data = yaml.safe_load((ROOT / "config" / "demo.yml").read_text(encoding="utf-8"))
    data["store"]["path"] = str(directory / "demo.sqlite")
    data.pop("watches_file")
    data["audit_log"] = str(directory / "audit.jsonl")
    data["auth"] = {
        "provider": {
            "server_metadata_url": f"http://127.0.0.1:{idp_port}/.well-known/openid-configuration",
            "client_id": "onrustradar",
            "redirect_uri": f"{board}/oauth2callback",
            "prompt": "login",
        }
    }
    config = write_config(directory, **data)
    result = cli("--config", str(config), "demo", "--headless", "--once")
    assert result.returncode == 0, result.stderr[-2000:]

    env = {
        **os.environ,
        "ONRUSTRADAR_OIDC_CLIENT_SECRET": secret,
        "ONRUSTRADAR_COOKIE_SECRET": "test-cookie-secret-0123456789abcdef",
    }
    exe = Path(sys.executable).with_name("onrustradar")
    proc = subprocess.Popen(
        [str(exe), "--config", str(config), "board", "--port", str(board_port)],
        cwd=directory,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_http(f"{board}/_stcore/health", proc)
    yield board, f"http://127.0.0.1:{idp_port}", config
    for p in (proc, idp):
        os.killpg(p.pid, 15)
        p.wait(timeout=20)


def _sign_in(browser, board, idp, login):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(board)
    WebDriverWait(browser, 60).until(lambda d: d.current_url.startswith(idp) and d.find_elements(By.NAME, "login"))
    browser.find_element(By.NAME, "login").send_keys(login)
    browser.find_element(By.NAME, "password").send_keys("geheim")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # The provider asks for consent once per client.
    WebDriverWait(browser, 30).until(
        lambda d: d.current_url.startswith(board) or d.find_elements(By.CSS_SELECTOR, "input[value=consent]")
    )
    if not browser.current_url.startswith(board):
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 60).until(lambda d: d.current_url.startswith(board))


def test_unauthenticated_visitor_is_sent_to_the_identity_provider(signed_board, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    board, idp, _ = signed_board
    browser.get(board)
    WebDriverWait(browser, 60).until(lambda d: d.current_url.startswith(idp + "/interaction/"))
    assert browser.find_elements(By.NAME, "login"), "the provider's sign-in form is shown"
    assert "Signalen" not in browser.find_element(By.TAG_NAME, "body").text


def test_lezer_sees_signalen_of_their_gemeente_only(signed_board, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    board, idp, config = signed_board
    _sign_in(browser, board, idp, "lezer-zwolle")
    WebDriverWait(browser, 60).until(lambda d: " signalen · bijgewerkt" in d.find_element(By.TAG_NAME, "body").text)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "lezer@zwolle.example" in body and "Zwolle" in body
    assert "Deventer" not in body and "Enschede" not in body
    for page in ("Trefwoorden", "Bronnen", "Privacy", "Opdrachten"):
        assert page not in body, f"a lezer must not see {page}"
    assert "Demomodus" not in body
    audit = [yaml.safe_load(line) for line in (Path(config).parent / "audit.jsonl").read_text().splitlines()]
    assert any(r["action"] == "signin" and r["actor"] == "lezer@zwolle.example" and r["result"] == "ok" for r in audit)


def test_user_without_role_is_refused(signed_board, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    board, idp, config = signed_board
    _sign_in(browser, board, idp, "niemand")
    WebDriverWait(browser, 60).until(lambda d: "geen rol of gemeente" in d.find_element(By.TAG_NAME, "body").text)
    assert "signalen · bijgewerkt" not in browser.find_element(By.TAG_NAME, "body").text
