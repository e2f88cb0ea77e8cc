"""The dashboard at `/` in a real headless browser (Debian's chromium through chromedriver) against a real
`peer serve` whose reads need the token: the page asks for it, then shows what the API says (the versions,
a cell of the forgetting matrix, a job followed live until its version appears), continues a text with each
token coloured by its route, and takes a screenshot (docs/img/dashboard.png with PEER_UPDATE_SCREENSHOT=1)."""

from __future__ import annotations

import os
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.helpers.processes import REPO
from tests.service.conftest import Server

pytestmark = pytest.mark.slow

TOKEN = "dashboard-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1500"]


@pytest.fixture
def browser(tmp_path):
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "the browser test needs Debian's chromium and chromium-driver (scripts/setup)"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium'}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=ChromeService(driver), options=options)
    yield chrome
    chrome.quit()


def test_the_dashboard_shows_what_the_api_says(copy_store, text_corpora, tmp_path, browser, peers):
    (tmp_path / "token").write_text(TOKEN)
    server = Server(copy_store(), tmp_path / "serve.log", "--token-file", str(tmp_path / "token"), "--auth-reads")
    peers.append(server)
    server.http.headers.update(AUTH)
    prose = b"".join(p.read_bytes() for p in sorted(text_corpora["prose"].glob("*.txt")))
    grown = server.http.post("/v1/ingest?name=prose&steps=4", content=prose, headers={"content-type": "text/plain"})
    server.job_until(grown.json()["job"], lambda j: j["state"] == "done", "version 2")
    wait = WebDriverWait(browser, 120, poll_frequency=0.2)
    page = lambda css: browser.find_elements(By.CSS_SELECTOR, css)  # noqa: E731

    browser.get(server.url + "/")
    wait.until(lambda _: page("#token-form")[0].is_displayed())  # reads need the token: the page asks
    page("#token")[0].send_keys(TOKEN)
    page("#token-save")[0].click()
    wait.until(lambda _: browser.execute_script("return document.body.dataset.loaded") == "true")

    versions = server.http.get("/v1/versions").json()
    assert len(versions) == 2 and len(page("#timeline g[data-version]")) == len(page("#versions tbody tr")) == 2
    report = server.http.get("/v1/forgetting").json()
    for i, v in enumerate(report["versions"]):
        for j, corpus in enumerate(report["corpora"]):
            cell, loss = page(f'#heatmap td[data-version="{v}"][data-corpus="{corpus}"]')[0], report["loss"][i][j]
            assert cell.text == ("–" if loss is None else f"{loss:.3f}"), (v, corpus)  # before its corpus: –
    assert report["loss"][1][0] is not None and len(page("#curves polyline")) == len(report["corpora"]) == 2

    upload = {"file": ("more.jsonl.gz", text_corpora["more"].read_bytes(), "application/octet-stream")}
    job = server.http.post("/v1/ingest", params={"name": "more", "steps": 12}, files=upload).json()["job"]
    row = f'#jobs tr[data-job="{job}"]'
    wait.until(lambda _: page(f'{row}[data-state="running"]') or page(f'{row}[data-state="done"]'))
    wait.until(lambda _: page(f'{row}[data-state="done"]'))
    assert page(f"{row} td.version")[0].text == f"v{server.job(job)['version']}" == "v3"
    wait.until(lambda _: len(page("#timeline g[data-version]")) == 3)
    assert page('#timeline g[data-version="3"]')[0].get_attribute("data-status") == "ready"

    page("#prompt")[0].clear()
    page("#prompt")[0].send_keys("def main():\n    ")
    page("#continue")[0].click()
    wait.until(lambda _: page('#tokens[data-done="true"]'))
    assert page("#try-version")[0].text == "answered by v3" and len(page("#tokens span[data-route]")) >= 10
    routes = {span.get_attribute("data-route") for span in page("#tokens span[data-route]")}
    assert routes and routes <= {"v1 code", "v2 prose", "v3 more"}, routes

    text = "class Point:\n    x: int = 0\n"
    scored = server.http.post("/v1/score", json={"texts": [text], "each_token": True}).json()
    page("#prompt")[0].clear()
    page("#prompt")[0].send_keys(text)
    page("#score")[0].click()
    wait.until(lambda _: page('#tokens[data-done="true"]'))
    spans = page("#tokens span[data-route]")
    assert [s.get_attribute("data-route") for s in spans] == [t["route"] for t in scored["documents"][0]["each"]]
    assert f"loss {scored['total']['loss']:.3f} nats/token" in page("#score-result")[0].text

    page("#continue")[0].click()  # the screenshot shows a continuation
    wait.until(lambda _: page('#tokens[data-done="true"]'))
    shot = tmp_path / "dashboard.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 0
    if os.environ.get("PEER_UPDATE_SCREENSHOT"):  # the docs' picture is refreshed on request, not by every run
        shutil.copyfile(shot, REPO / "docs" / "img" / "dashboard.png")
    errors = [e["message"] for e in browser.get_log("browser")
              if e["level"] == "SEVERE" and " 401 " not in e["message"]]  # the reads before the token was given
    assert not errors, errors
