"""The real board in headless Chromium (Debian's `chromium` + `chromium-driver`, driven with
Selenium) against a demo store: the agenda and its order, the map (outlines, a tooltip, click
through to the signal), search within the user's gemeenten, the URL following the open signal,
an assigned and a merged signal, the demo's emoji. A screenshot of every page is kept as a
test artifact in test-artifacts/ (CI keeps that directory)."""

import os
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from chromium import CHROMIUM, DRIVER
from conftest import ROOT, cli, write_config
from procs import free_port

ARTIFACTS = ROOT / "test-artifacts"
WAIT = 60
OTHER_WORD = "Museumpleinprotest"  # only in a post of Amsterdam, which this board does not watch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        (CHROMIUM is None or DRIVER is None) and os.environ.get("CI") != "true",
        reason="Debian's chromium and chromium-driver are not installed "
        "(make test installs them where apt is available)",
    ),
]


def _extra(store_path: Path) -> None:
    """More signals than the demo's six (the agenda must show at least eight at once), and a
    post of a gemeente outside this board."""
    from onrustradar.core.models import Analysis, Post, Signal
    from store.sqlite import SQLiteStore

    now = datetime.now(UTC)
    store = SQLiteStore(store_path)
    extra = []
    for n, (code, name) in enumerate(
        [("GM0193", "Zwolle"), ("GM0150", "Deventer"), ("GM0153", "Enschede"), ("GM0193", "Zwolle")]
    ):
        extra.append(
            Signal(
                f"sig_extra{n}",
                ["demonstratie"],
                code,
                name,
                now - timedelta(hours=5),
                now - timedelta(hours=4),
                [],
                event_start=now + timedelta(days=3 + n, hours=n),
                time_known=True,
                announced=True,
                score=30 + n,
                explanation="1 bron",
            )
        )
        extra.append(
            Signal(
                f"sig_report{n}",
                ["incident"],
                code,
                name,
                now - timedelta(hours=30 + n),
                now - timedelta(hours=20 + n),
                [],
                score=20 + n,
                explanation="1 bron",
            )
        )
    store.upsert_signals(extra)
    post = Post(
        "telegram",
        "ams/1",
        "amsterdam_kanaal",
        now - timedelta(hours=2),
        f"Morgen {OTHER_WORD} op het Museumplein in Amsterdam",
    )
    store.upsert_posts([post])
    store.save_analyses([Analysis(post.id, ["demonstratie"], {"demonstratie": 0.9}, "GM0363", "Amsterdam")])
    store.close()


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    assert CHROMIUM and DRIVER, "chromium and chromedriver are required in CI"
    directory = tmp_path_factory.mktemp("browser")
    data = yaml.safe_load((ROOT / "config" / "demo.yml").read_text(encoding="utf-8"))
    data["store"]["path"] = str(directory / "demo.sqlite")
    data["auth"] = {"users": [{"email": "collega@zwolle.example", "roles": ["lezer"], "gemeenten": ["Zwolle"]}]}
    config = write_config(directory, **data)
    result = cli("--config", str(config), "demo", "--headless", "--once")
    assert result.returncode == 0, result.stderr[-2000:]
    _extra(directory / "demo.sqlite")
    port = free_port()
    exe = Path(sys.executable).with_name("onrustradar")
    proc = subprocess.Popen(
        [str(exe), "--config", str(config), "board", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
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
    yield url, directory
    os.killpg(proc.pid, 15)
    proc.wait(timeout=20)


def wait(browser, condition, timeout=WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout, poll_frequency=0.3).until(lambda d: condition(d))


def body(browser) -> str:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.TAG_NAME, "body").text


def rows(browser) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.get_attribute("id").removeprefix("row-") for e in browser.find_elements(By.CSS_SELECTOR, ".or-row")]


def query(browser) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(browser.current_url).query, keep_blank_values=True).items()}


def click_key(browser, key: str) -> None:
    """Click the Streamlit button with this widget key."""
    from selenium.webdriver.common.by import By

    button = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f".st-key-{key} button"))[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()


def choose(browser, key: str, text: str) -> None:
    """Pick the option containing `text` in the Streamlit selectbox with this key."""
    from selenium.webdriver.common.by import By

    box = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f".st-key-{key} input[role=combobox]"))[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.click()
    wait(browser, lambda d: [o for o in d.find_elements(By.CSS_SELECTOR, "[role=option]") if text in o.text])[0].click()
    wait(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, "[role=listbox]"))
    wait(browser, lambda d: text in d.find_element(By.CSS_SELECTOR, f".st-key-{key} input").get_attribute("value"))
    time.sleep(1)  # the choice reaches the server


def shot(browser, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 20_000


def open_list(browser, url: str) -> None:
    """Open the list and wait until it is drawn: Streamlit draws a page in steps, so the rows
    are read only once the same rows were seen twice in a row (0.3 s apart)."""
    browser.get(url)
    seen: list = []

    def settled(d) -> bool:
        now = rows(d) if " · bijgewerkt" in body(d) else []
        done = bool(now) and now == seen
        seen[:] = now
        return done

    wait(browser, settled)


def test_the_agenda_comes_first_in_order_and_fits_eight_rows(board, browser):
    from dashboard.agenda import agenda
    from onrustradar.config import load_config
    from store import SignalQuery, open_store

    url, directory = board
    open_list(browser, url)
    text = body(browser)
    for label in ("Komende dagen", "Gebeurd", "Demonstratie", "Scootermeeting", "Supporters", "Incident"):
        assert label in text, label
    store = open_store(load_config(directory / "onrustradar.yml").settings)
    now = datetime.now(UTC)
    signals = store.query_signals(
        SignalQuery(statuses=frozenset({"nieuw", "in behandeling"}), since=now - timedelta(days=7), limit=500)
    )
    store.close()
    plan = agenda(signals, now)
    expected = [s.signal_id for _, day in plan.upcoming for s in day] + [s.signal_id for s in plan.happened]
    assert rows(browser) == expected and len(expected) >= 10
    upcoming = [s for _, day in plan.upcoming for s in day]
    assert [s.event_start for s in upcoming] == sorted(s.event_start for s in upcoming)
    # at least eight rows in view at 1400x1000, without scrolling
    visible = browser.execute_script(
        "return [...document.querySelectorAll('.or-row')].filter(r => r.getBoundingClientRect().bottom <= "
        "window.innerHeight && r.getBoundingClientRect().top >= 0).length"
    )
    assert visible >= 8, visible
    assert "nieuw" in text  # the first visit: everything is new
    shot(browser, "signalen")


def test_the_demo_emoji_render_in_colour(board, browser):
    url, _ = board
    open_list(browser, url)
    # A colour emoji font draws coloured pixels; without one the browser draws a grey box.
    coloured = browser.execute_script("""
        const c = document.createElement('canvas'); c.width = 64; c.height = 64;
        const g = c.getContext('2d'); g.font = '48px sans-serif'; g.fillText('📢', 4, 52);
        const d = g.getImageData(0, 0, 64, 64).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) {
            const [r, gr, b, a] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
            if (a > 0 && Math.max(r, gr, b) - Math.min(r, gr, b) > 60) n++;
        }
        return n;""")
    assert coloured > 50, "no colour emoji font (make browser installs fonts-noto-color-emoji)"


def test_the_url_follows_the_selected_signal(board, browser):
    from selenium.webdriver.common.by import By

    url, _ = board
    open_list(browser, url)
    first, second = rows(browser)[:2]
    browser.get(f"{url}/?pagina=signalen&signal={first}")  # a shared link
    wait(browser, lambda d: "Terug naar de lijst" in body(d))
    assert query(browser)["signal"] == first
    shot(browser, "signaal")
    # the copy-link button puts the address, naming this signal, on the clipboard
    browser.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}
    )
    button = wait(browser, lambda d: d.find_elements(By.ID, "or-copy"))[0]
    button.click()
    wait(browser, lambda d: "gekopieerd" in d.find_element(By.ID, "or-copy").text, timeout=10)
    copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0])")
    assert f"signal={first}" in copied and "pagina=signalen" in copied
    click_key(browser, "back")
    wait(browser, lambda d: rows(d) and "signal" not in query(d))
    click_key(browser, f"open-{second}")
    wait(browser, lambda d: query(d).get("signal") == second and "Terug naar de lijst" in body(d))
    assert query(browser)["pagina"] == "signalen"


def test_the_map_draws_outlines_shows_a_tooltip_and_opens_the_signal(board, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    url, _ = board
    browser.get(f"{url}/?pagina=kaart")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "svg.or-map circle.mk"))
    outlines = browser.find_elements(By.CSS_SELECTOR, "svg.or-map path.gm")
    watched = browser.find_elements(By.CSS_SELECTOR, "svg.or-map path.gm-watched")
    assert len(outlines) > 20 and len(watched) == 3
    assert all(p.get_attribute("d").count("L") > 8 for p in watched)  # real outlines, not boxes
    assert "Bron: CBS" in body(browser) and "Demonstratie" in body(browser)
    markers = browser.find_elements(By.CSS_SELECTOR, "svg.or-map circle.mk")
    assert len(markers) >= 8
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", markers[0])
    # every marker can be reached: overlapping ones are spread around their point
    on_top = browser.execute_script(
        """return arguments[0].filter(m => { m.scrollIntoView({block: 'center'});
        const b = m.getBoundingClientRect();
        return document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2) === m; }).length""",
        markers,
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", markers[0])
    assert on_top == len(markers), browser.execute_script(
        """return arguments[0].map(m => {
        m.scrollIntoView({block: 'center'}); const b = m.getBoundingClientRect();
        const e = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
        return [m.getAttribute('data-signal'), b.x, b.y, e && e.tagName, e && (e.getAttribute('class') || ''),
                e && e.getAttribute('data-signal')]; }).filter(r => r[5] !== r[0])""",
        markers,
    )
    marker = markers[0]
    signal_id = marker.get_attribute("data-signal")
    tip = browser.find_element(By.CSS_SELECTOR, f'svg.or-map g.mk-tip[data-signal="{signal_id}"]')
    assert tip.value_of_css_property("visibility") == "hidden"
    ActionChains(browser).move_to_element(marker).perform()
    wait(browser, lambda d: tip.value_of_css_property("visibility") == "visible", timeout=10)
    assert any(word in tip.text for word in ("bevestigd", "onbevestigd"))
    shot(browser, "kaart")
    ActionChains(browser).move_to_element(marker).click().perform()
    wait(browser, lambda d: query(d).get("signal") == signal_id and "Terug naar de lijst" in body(d))
    assert query(browser)["pagina"] == "signalen"


def test_search_finds_a_post_by_a_word_but_not_another_gemeentes(board, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, _ = board
    browser.get(f"{url}/?pagina=zoeken")
    box = wait(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, 'input[aria-label="Zoek in berichten en signalen"]')
    )[0]
    box.send_keys("azc" + Keys.ENTER)
    # Streamlit renders a result list piece by piece: wait for the whole of it, not its heading
    wait(
        browser,
        lambda d: "Berichten (" in body(d) and "Berichten (0" not in body(d) and "Naar het signaal" in body(d),
    )
    text = body(browser)
    assert "azc" in text.lower() and "Naar het signaal" in text
    shot(browser, "zoeken")
    box = browser.find_element(By.CSS_SELECTOR, 'input[aria-label="Zoek in berichten en signalen"]')
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(OTHER_WORD.lower() + Keys.ENTER)
    wait(browser, lambda d: "Berichten (0)" in body(d))
    assert OTHER_WORD not in body(browser)
    # a result links to its signal
    box = browser.find_element(By.CSS_SELECTOR, 'input[aria-label="Zoek in berichten en signalen"]')
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("azc" + Keys.ENTER)
    wait(browser, lambda d: "Naar het signaal" in body(d))
    buttons = [b for b in browser.find_elements(By.TAG_NAME, "button") if b.text == "Naar het signaal"]
    buttons[0].click()
    wait(browser, lambda d: query(d).get("pagina") == "signalen" and query(d).get("signal"))


@pytest.mark.parametrize("page", ["trends", "trefwoorden", "opdrachten", "bronnen", "privacy"])
def test_every_other_page_renders_in_dutch(board, browser, page):
    url, _ = board
    browser.get(f"{url}/?pagina={page}")
    wait(browser, lambda d: f"Onrustradar — {page}" in body(d))
    time.sleep(1.5)  # charts draw after the page
    text = body(browser)
    assert "Traceback" not in text and "Error" not in text
    for english in ("Choose options", "No options", "empty"):
        assert english not in text, english
    shot(browser, page)


def test_an_assigned_and_a_merged_signal(board, browser):
    from selenium.webdriver.common.by import By

    url, directory = board
    open_list(browser, url)
    zwolle = [r for r in rows(browser) if r.startswith("sig_extra") and r in ("sig_extra0", "sig_extra3")]
    keep, other = zwolle
    browser.get(f"{url}/?pagina=signalen&signal={keep}")
    wait(browser, lambda d: "Behandeling" in body(d))
    # assign to a colleague
    choose(browser, f"assign-who-{keep}", "collega@zwolle.example")
    click_key(browser, f"assign-{keep}")
    wait(browser, lambda d: "Toegewezen aan collega@zwolle.example" in body(d))
    # merge the other Zwolle signal into it
    choose(browser, f"merge-other-{keep}", other)
    click_key(browser, f"merge-{keep}")
    wait(browser, lambda d: "Samengevoegd" in body(d))
    shot(browser, "samengevoegd")
    open_list(browser, url)
    listed = rows(browser)
    assert keep in listed and other not in listed
    row = browser.find_element(By.ID, f"row-{keep}").text
    assert "collega@zwolle.example" in row
    browser.get(f"{url}/?pagina=signalen&signal={other}")
    wait(browser, lambda d: "samengevoegd met een ander signaal" in body(d))
