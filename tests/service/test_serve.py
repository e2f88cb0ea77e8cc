"""`peer serve` as a real subprocess on a free port, driven by a real HTTP client.

One server serves the whole module, and the tests run in file order on its store: reads first, then refused
writes, an ingest, 50 concurrent scores across a version switch, metrics, and last kill -9 during a job, a
restart, and SIGTERM.
"""

from __future__ import annotations

import gzip
import shutil
import signal
import sysconfig
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from peer_store.db import Store, fsck
from peer_store.db.jobs import get_job
from tests.service.conftest import Server, peer_json, wait_for

pytestmark = pytest.mark.slow  # every test drives a real `peer` process

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAX_UPLOAD, MAX_BODY = 48_000, 4_096
STDLIB = Path(sysconfig.get_paths()["stdlib"])


def leftovers(store: Path) -> list[str]:
    """Every file an upload or a job could leave behind (the registry and the lock aside)."""
    return sorted(p.relative_to(store).as_posix() for p in store.rglob("*")
                  if p.is_file() and p.name not in ("registry.db", "lock"))


@pytest.fixture(scope="module")
def served(copy_store, text_corpora, tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    store = copy_store()
    (root / "token").write_text(TOKEN + "\n")
    server = Server(store, root / "serve.log", "--token-file", str(root / "token"),
                    "--max-upload", str(MAX_UPLOAD), "--max-body", str(MAX_BODY))
    prose = b"".join(p.read_bytes() for p in sorted(text_corpora["prose"].glob("*.txt")))
    state = SimpleNamespace(server=server, store=store, root=root, prose=prose)
    yield state
    state.server.ensure_dead()


def test_reads_are_what_the_cli_prints(served):
    http, store = served.server.http, served.store
    health = http.get("/healthz").json()
    assert health.items() >= {"status": "ok", "version": 1, "jobs_queued": 0}.items()
    assert isinstance(health["worker_ready"], bool)
    assert http.get("/v1/versions").json() == peer_json(store, "versions", "--json")
    assert http.get("/v1/versions/1").json() == peer_json(store, "show", "1", "--json")
    assert http.get("/v1/versions/current").json()["version"]["number"] == 1
    for missing in ("9", "nine"):
        answer = http.get(f"/v1/versions/{missing}")
        assert answer.status_code == 404 and "`peer versions`" in answer.json()["detail"]
    assert http.get("/v1/jobs/0123abcd").status_code == 404
    assert "/v1/ingest" in http.get("/openapi.json").json()["paths"]


def test_score_and_generate_answer_as_the_cli(served, text_corpora, tmp_path):
    http, store = served.server.http, served.store
    text = text_corpora["code"].read_bytes()[:300]
    (tmp_path / "doc.py").write_bytes(text)
    cli = peer_json(store, "score", str(tmp_path / "doc.py"), "--json")
    answer = http.post("/v1/score", json={"texts": [text.decode(), "x = 1\n"]})
    assert answer.status_code == 200 and answer.headers["x-peer-version"] == "1"
    body = answer.json()
    assert body["version"] == cli["version"] == 1 and body["total"]["documents"] == 2
    mine, theirs = body["documents"][0], cli["documents"][0]
    assert mine["tokens"] == theirs["tokens"] and mine["bytes"] == theirs["bytes"] == 300
    assert mine["loss"] == pytest.approx(theirs["loss"], rel=1e-5)
    assert mine["bits_per_byte"] == pytest.approx(theirs["bits_per_byte"], rel=1e-5)
    assert mine["routes"] == pytest.approx(theirs["routes"])
    assert http.post("/v1/score", json={"texts": ["x"], "version": 1}).json()["version"] == 1
    assert "each" not in mine
    snippet = "d = {'é': 1}\n" * 5  # longer than the tiny model's window, and a character of two bytes
    each = http.post("/v1/score", json={"texts": [snippet], "each_token": True}).json()["documents"][0]
    tokens = each.pop("each")
    assert each == http.post("/v1/score", json={"texts": [snippet]}).json()["documents"][0]
    assert "".join(t["text"] for t in tokens) == snippet and len(tokens) == each["tokens"] == len(snippet.encode()) + 1
    assert sum(t["loss"] for t in tokens) / len(tokens) == pytest.approx(each["loss"], rel=1e-6)
    shares = {r: sum(t["route"] == r for t in tokens) / len(tokens) for r in each["routes"]}
    assert shares == pytest.approx(each["routes"])
    sample = http.post("/v1/generate", json={"prompt": "def ", "max_tokens": 30, "seed": 3})
    assert sample.status_code == 200
    assert sample.json() == peer_json(store, "generate", "--prompt", "def ", "--tokens", "30", "--seed", "3", "--json")


def test_refused_requests_write_nothing(served):
    http, store = served.server.http, served.store
    before = leftovers(store)
    ingest = "/v1/ingest?name=prose&steps=4"
    text = {"content-type": "text/plain"}
    assert http.post(ingest, content=served.prose, headers=text).status_code == 401
    wrong = http.post(ingest, content=served.prose, headers={**text, "Authorization": "Bearer s3cret-tokeN"})
    assert wrong.status_code == 401 and "bearer token" in wrong.json()["detail"]
    assert http.post(ingest, content=served.prose, headers={**text, "Authorization": TOKEN}).status_code == 401

    big = http.post(ingest, content=b"a" * (MAX_UPLOAD + 1), headers={**text, **AUTH})
    assert big.status_code == 413 and f"{MAX_UPLOAD:,} bytes" in big.json()["detail"]
    chunked = http.post(ingest, content=iter([b"b" * 20_000] * 3), headers={**text, **AUTH})  # no Content-Length
    assert chunked.status_code == 413
    assert http.post(ingest, content=b"\x89PNG", headers={"content-type": "image/png", **AUTH}).status_code == 415
    for query, field in [("name=../etc&steps=4", "query.name"), ("steps=4", "query.name"),
                         ("name=prose&steps=0", "query.steps")]:
        bad = http.post(f"/v1/ingest?{query}", content=served.prose, headers={**text, **AUTH})
        assert bad.status_code == 422 and bad.json()["detail"].startswith(field), bad.text
    for body, why in [(b"", "empty"), (b"code\x00" * 500, "binary"), (b"tiny", "too small")]:
        bad = http.post(ingest, content=body, headers={**text, **AUTH})
        assert bad.status_code == 422 and why in bad.json()["detail"], bad.text

    broken = http.post("/v1/score", content=b'{"texts": [', headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["detail"].startswith("body")
    for body, field in [({}, "body.texts"), ({"texts": "abc"}, "body.texts"), ({"texts": ["a"], "verison": 2},
                                                                                 "body.verison")]:
        bad = http.post("/v1/score", json=body)
        assert bad.status_code == 422 and bad.json()["detail"].startswith(field), bad.text
    bad = http.post("/v1/generate", json={"prompt": "a", "max_tokens": 10**6})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("body.max_tokens")
    assert http.post("/v1/score", json={"texts": ["a" * MAX_BODY]}).status_code == 413
    assert http.post("/v1/score", json={"texts": ["a"], "version": 7}).status_code == 404

    assert leftovers(store) == before and http.get("/v1/jobs").json() == []
    assert http.get("/v1/versions").json()[-1]["number"] == 1


def test_an_ingest_job_becomes_the_served_version(served):
    server, store = served.server, served.store
    accepted = server.http.post("/v1/ingest?name=prose&steps=4", content=served.prose,
                                headers={"content-type": "text/plain", **AUTH})
    assert accepted.status_code == 202, accepted.text
    job = server.job_until(accepted.json()["job"], lambda j: j["state"] in ("done", "failed"), "the prose job")
    assert job["state"] == "done" and job["version"] == 2 and job["error"] is None, job
    assert job["step"] == job["total_steps"] == 4 and job["loss"] > 0

    def scored_by_2():
        answer = server.http.post("/v1/score", json={"texts": ["x"]}).json()
        return answer if answer["version"] == 2 else None

    assert set(wait_for(scored_by_2, "version 2 to be served")["total"]["routes"]) <= {"v1 code", "v2 prose"}
    assert server.http.get("/v1/forgetting").json() == peer_json(store, "evaluate", "forgetting", "--format", "json")
    again = server.http.post("/v1/ingest?name=prose-again", content=served.prose,
                             headers={"content-type": "text/plain", **AUTH})
    assert again.status_code == 409 and "already ingested as 'prose'" in again.json()["detail"]
    assert not list((store / "uploads").iterdir())


ROUTES = {2: {"v1 code", "v2 prose"}, 3: {"v1 code", "v2 prose", "v3 more"}}


def test_50_concurrent_scores_during_an_ingest_each_name_one_version(served, text_corpora):
    server = served.server
    upload = {"file": ("more.jsonl.gz", text_corpora["more"].read_bytes(), "application/octet-stream")}
    accepted = server.http.post("/v1/ingest", params={"name": "more", "steps": 8}, files=upload, headers=AUTH)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job"]
    server.job_until(job_id, lambda j: j["state"] == "running", "the job to run")
    texts = [gzip.decompress(text_corpora["more"].read_bytes()).decode()[i * 100:(i + 1) * 100] for i in range(8)]
    texts += ["def main():\n    return 0\n", "Shall I compare thee to a summer's day?"]
    seen: dict[int, int] = {}
    losses: list[tuple[int, int, float]] = []  # (text, version it names, loss)

    def burst(n: int) -> None:
        """``n`` scores at once: all answered, each by one whole version."""
        answers = list(pool.map(lambda i: server.http.post("/v1/score", json={"texts": [texts[i % len(texts)]]}),
                                range(n)))
        assert [a.status_code for a in answers] == [200] * n, [a.text for a in answers if a.status_code != 200]
        for i, a in enumerate(answers):
            body = a.json()
            v = body["version"]
            assert a.headers["x-peer-version"] == str(v)
            used = set(body["total"]["routes"]) | set(body["documents"][0]["routes"])
            assert used <= ROUTES[v], (v, used)  # a route of a later version would mean a mixed answer
            seen[v] = seen.get(v, 0) + 1
            losses.append((i % len(texts), v, body["documents"][0]["loss"]))

    with ThreadPoolExecutor(50) as pool:
        burst(50)  # during the ingest
        assert seen == {2: 50}
        server.job_until(job_id, lambda j: j["step"] == j["total_steps"], "training to end")
        for _ in range(100):  # across the switch: the job evaluates and writes, then version 3 is swapped in
            burst(10)
            if 3 in seen:
                break
    assert set(seen) == {2, 3}, seen
    # each answer is the loss its version gives that text, computed again now by that version alone
    reference = {(t, v): server.http.post("/v1/score", json={"texts": [texts[t]], "version": v}).json()
                 ["documents"][0]["loss"] for t in range(len(texts)) for v in (2, 3)}
    assert sum(reference[t, 2] != reference[t, 3] for t in range(len(texts))) >= len(texts) // 2
    assert all(loss == pytest.approx(reference[t, v], rel=1e-6) for t, v, loss in losses), [
        (t, v, loss, reference[t, 2], reference[t, 3]) for t, v, loss in losses
        if loss != pytest.approx(reference[t, v], rel=1e-6)]
    assert server.job(job_id)["version"] == 3


def test_metrics_count_requests_tokens_and_jobs(served):
    text = served.server.http.get("/metrics").text
    values = dict(line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    assert float(values['peer_requests_total{method="POST",route="/v1/score",status="200"}']) >= 100
    assert float(values['peer_requests_total{method="POST",route="/v1/ingest",status="401"}']) == 3
    assert float(values['peer_requests_total{method="POST",route="/v1/ingest",status="413"}']) == 2
    assert float(values['peer_request_duration_seconds_count{route="/v1/score"}']) >= 100
    assert float(values['peer_tokens_total{kind="scored"}']) > 1000
    assert float(values['peer_tokens_total{kind="generated"}']) > 0
    assert values['peer_ingest_jobs_total{state="done"}'] == "2"
    assert values["peer_current_version"] == "3"


def test_kill_9_during_a_job_then_restart_then_sigterm(served, text_corpora):
    store, http = served.store, served.server.http
    third = (STDLIB / "argparse.py").read_bytes()[:20_000]
    text = {"content-type": "text/plain", **AUTH}
    accepted = http.post("/v1/ingest?name=third&steps=100000", content=third, headers=text)
    assert accepted.status_code == 202
    killed = accepted.json()["job"]
    served.server.job_until(killed, lambda j: (j["step"] or 0) >= 1, "training to start")
    assert list((store / "uploads").iterdir())  # the spooled upload, while its job runs
    served.server.kill()

    inbox = served.root / "inbox"  # the restarted server also watches a folder, holding a corpus it knows
    inbox.mkdir()
    shutil.copy(text_corpora["code"], inbox / "code.py")
    served.server = server = Server(store, served.root / "serve-again.log", "--token-file", str(served.root / "token"),
                                    "--watch", str(inbox), "--watch-interval", "0.2")
    job = server.job(killed)
    assert job["state"] == "failed" and job["error"].startswith("interrupted"), job
    listing = server.http.get("/v1/versions").json()
    assert [v["status"] for v in listing] == ["ready", "ready", "ready", "failed"] and listing[2]["current"]
    with Store.open(store) as opened:
        report = fsck(opened)
    assert report.ok and not report.interrupted, report  # the upload went with its job
    wait_for(lambda: "code.py: already ingested as corpus 'code'" in server.said(), "the watcher to look")

    again = server.http.post("/v1/ingest?name=third&steps=100000", content=third, headers=text)
    assert again.status_code == 202, again.text  # the same upload is accepted again
    stopped = again.json()["job"]
    server.job_until(stopped, lambda j: (j["step"] or 0) >= 1, "training to start again")
    with server.http.stream("GET", f"/v1/jobs/{stopped}/events") as follower:  # a dashboard following the job
        lines = follower.iter_lines()
        assert next(lines).startswith("data: {")
        started = time.monotonic()
        assert server.stop(signal.SIGTERM) == 0
        assert "data: [DONE]" in list(lines)  # the follow ended at the shutdown's start, not cut off 30 s later
    assert time.monotonic() - started < 30
    said = server.said()
    assert "Traceback" not in said and "the service stopped during the job" in said
    with Store.open(store) as opened:
        assert opened.current().number == 3 and opened.version(5).status == "failed"
        assert get_job(opened, stopped).error.startswith("the service stopped during the job")
        assert fsck(opened).ok
