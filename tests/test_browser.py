"""The view in a real browser: Debian's chromium + chromium-driver through Selenium, offline.

Run `scripts/install-browser.sh` first; without /usr/bin/chromium and /usr/bin/chromedriver
these tests skip and say why. Screenshots go to tmp_path, or to $KG_SCREENSHOT_DIR when set.
"""
from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from kg.model import Statement
from kg.views import ViewOptions, write_html

from test_views_fixtures import HOSTILE_SENTENCE, entity, sample_statements, statement

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(run scripts/install-browser.sh)"),
    pytest.mark.skipif(not CHROMEDRIVER.exists(), reason="needs Debian's chromium-driver at "
                       "/usr/bin/chromedriver (run scripts/install-browser.sh)"),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install -e '.[test]')")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome-error:", "devtools:")


@pytest.fixture()
def browser():
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a driver
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1400,900",
                 # networking off: nothing resolves and every connection goes to a dead proxy
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
                 "--proxy-server=http://127.0.0.1:9"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_view(driver, path: Path, timeout: float = 30.0) -> float:
    """Load the page and wait until it has drawn and its physics has stopped; seconds taken."""
    for log in ("browser", "performance"):
        driver.get_log(log)  # drop what the start page logged: only this page's entries count
    start = time.monotonic()
    driver.get(path.resolve().as_uri())
    while driver.execute_script("return document.body && document.body.getAttribute('data-kg-ready')") != "true":
        assert time.monotonic() - start < timeout, "the view never became ready"
        time.sleep(0.05)
    return time.monotonic() - start


def console_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def requests_made(driver) -> list[str]:
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def click_node(driver, key: str) -> None:
    x, y = driver.execute_script(
        "var n = window.kgView.network; var p = n.canvasToDOM(n.getPosition(arguments[0]));"
        "return [p.x, p.y];", key)
    canvas = driver.find_element(By.ID, "mynetwork")
    size = canvas.size
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(x - size["width"] / 2), int(y - size["height"] / 2)).click().perform()


def panel_text(driver) -> str:
    return driver.execute_script("return document.getElementById('kg-panel').textContent")


def screenshot(driver, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("KG_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    driver.save_screenshot(str(target))
    assert target.stat().st_size > 10_000  # a real picture, not a blank error page
    return target


def test_view_works_offline_and_panel_shows_evidence(browser, tmp_path):
    page = write_html(sample_statements(), tmp_path / "graph.html", ViewOptions(title="Sample"))
    open_view(browser, page)
    assert console_errors(browser) == []
    assert [u for u in requests_made(browser) if not u.startswith(LOCAL_SCHEMES)] == []
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(u => !u.startsWith('data:'))") == []

    click_node(browser, "ethiopia")
    text = panel_text(browser)
    assert "In 1977 North Korea sent 50 military advisers to Ethiopia." in text
    assert "East Germany reportedly supplied Ethiopia with arms in 1978." in text
    assert "US intelligence" in text and "a.txt, characters 100" in text and "50 advisers" in text
    screenshot(browser, tmp_path, "view-panel.png")
    assert console_errors(browser) == []


def test_hostile_source_text_shows_and_runs_nothing(browser, tmp_path):
    page = write_html(sample_statements(), tmp_path / "graph.html")
    open_view(browser, page)
    click_node(browser, "hostile")
    assert HOSTILE_SENTENCE in panel_text(browser)
    assert "<img src=x onerror=alert('label')>" in panel_text(browser)
    assert browser.execute_script("return window.kgPwned") is None
    assert browser.execute_script("return document.querySelectorAll('#kg-panel img, body > img').length") == 0
    assert browser.execute_script("return document.querySelectorAll('script').length") == 8
    assert console_errors(browser) == []


def test_filters_and_search(browser, tmp_path):
    page = write_html(sample_statements(), tmp_path / "graph.html")
    open_view(browser, page)
    hidden = "return window.kgView.edges.get().filter(e => e.hidden).map(e => e.kgFactuality).sort()"
    assert browser.execute_script(hidden) == []
    browser.find_element(By.ID, "kg-show-negated").click()
    browser.find_element(By.ID, "kg-show-hedged").click()
    assert browser.execute_script(hidden) == ["hedged", "negated"]
    # the negated fact's partner has nothing else, so it goes too
    assert browser.execute_script("return window.kgView.nodes.get('hostile').hidden") is True
    browser.find_element(By.ID, "kg-show-negated").click()
    browser.find_element(By.ID, "kg-show-hedged").click()
    browser.execute_script("var s = document.getElementById('kg-year-from'); s.value = 1970;"
                           "s.dispatchEvent(new Event('input'));")
    shown = browser.execute_script(
        "return window.kgView.edges.get().filter(e => !e.hidden).map(e => e.label).sort()")
    assert "providedAid 1961, 1965" not in shown and "providedAid 1977" in shown
    assert "leaderOf" in shown  # undated facts stay while "undated facts" is ticked
    browser.find_element(By.ID, "kg-search").send_keys("gdr", Keys.ENTER)
    assert browser.execute_script("return window.kgView.network.getSelectedNodes()") == ["east-germany"]
    assert "The DPRK and the GDR established relations in 1949." in panel_text(browser)
    assert console_errors(browser) == []


def synthetic_statements(nodes: int, edges: int, seed: int = 7) -> list[Statement]:
    """A scale-free-ish graph of made-up entities, for the size the issue asks to open quickly."""
    rng = random.Random(seed)
    types = ("State", "State", "State", "Person", "Organization", "Place", "Event", "Agreement")
    relations = ("providedAid", "trade", "supported", "opposed", "visited", "signedAgreement", "met")
    entities = [entity(f"e{i:05d}", f"Entity {i}", types[i % len(types)]) for i in range(nodes)]
    weights = [1.0 / (i + 1) ** 0.6 for i in range(nodes)]
    result = []
    for i in range(edges):
        a = entities[i % nodes] if i < nodes else rng.choices(entities, weights)[0]
        b = rng.choices(entities, weights)[0]
        if a == b:
            b = entities[(nodes - 1 - i) % nodes]
        result.append(statement(
            a, rng.choice(relations), b, year=rng.choice((None, rng.randint(1950, 1990))),
            polarity="negated" if rng.random() < 0.05 else "affirmed", hedged=rng.random() < 0.1,
            source=f"doc-{i % 40}.txt", start=i * 10,
            sentence=f"Sentence {i}: {a.label} and {b.label} did something together."))
    return result


def test_five_thousand_nodes_open_settle_and_respond(browser, tmp_path):
    statements = synthetic_statements(5000, 10_000)
    page = write_html(statements, tmp_path / "big.html", ViewOptions(layout_cache=tmp_path / "cache"))
    seconds = open_view(browser, page, timeout=60)
    nodes = browser.execute_script("return window.kgView.nodes.length")
    assert nodes == 5000
    start = time.monotonic()
    click_node(browser, "e00000")
    while "Sentence 0: Entity 0" not in panel_text(browser):
        assert time.monotonic() - start < 10
        time.sleep(0.05)
    respond = time.monotonic() - start
    screenshot(browser, tmp_path, "view-5000.png")
    print(f"5000 nodes / 10000 edges: ready in {seconds:.1f} s, panel after click in {respond:.2f} s")
    assert seconds + respond < 10, f"opened in {seconds:.1f} s and answered a click in {respond:.1f} s"
    assert console_errors(browser) == []


@pytest.mark.model
def test_corpus_view_in_browser(browser, corpus_build):
    from kg.jsonl import read_statements
    from kg.settings import Settings

    page = corpus_build.out_dir / "graph.html"
    statements = list(read_statements(corpus_build.out_dir / "statements.jsonl", Settings().base_iri))
    open_view(browser, page)
    assert console_errors(browser) == []
    assert [u for u in requests_made(browser) if not u.startswith(LOCAL_SCHEMES)] == []
    top = browser.execute_script(
        "return window.kgView.nodes.get().sort((a, b) => b.kgMeasures.statements - a.kgMeasures.statements)[0].id")
    click_node(browser, top)
    sentences = {s.evidence.sentence for s in statements if top in (s.subject.key, s.object.key)}
    text = panel_text(browser)
    assert any(sentence in text for sentence in sentences)
    screenshot(browser, corpus_build.out_dir, "view-corpus.png")


def test_empty_graph_opens_and_says_so(browser, tmp_path):
    page = write_html([], tmp_path / "empty.html")
    open_view(browser, page, timeout=10)
    assert "no statements" in panel_text(browser)
    assert console_errors(browser) == []
