"""The OpenAI-compatible API and the streams, through the official `openai` client against a real `peer serve`.

One server (reads need the token) serves the module: models, completions whole and streamed, n > 1 and prompt
lists, logprobs and stop strings, the errors OpenAI's client raises, the store's own /v1/generate stream, and
last 8 concurrent streaming clients during an ingest job (followed by /v1/jobs/{id}/events), each stream from
one version.
"""

from __future__ import annotations

import json
import threading

import httpx
import openai
import pytest

from tests.service.conftest import Server, peer_json

pytestmark = pytest.mark.slow

TOKEN = "openai-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def served(copy_store, tmp_path_factory):
    root = tmp_path_factory.mktemp("openai")
    store = copy_store()
    (root / "token").write_text(TOKEN)
    server = Server(store, root / "serve.log", "--token-file", str(root / "token"), "--auth-reads",
                    "--max-tokens", "256")
    server.http.headers.update(AUTH)
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=TOKEN, max_retries=0, timeout=120)
    yield server, store, client
    server.ensure_dead()


def events(answer: httpx.Response) -> list:
    """The data of each server-sent event of a whole answer, JSON parsed ([DONE] as a string)."""
    datas = [line.removeprefix("data: ") for line in answer.text.split("\n\n") if line]
    return [d if d == "[DONE]" else json.loads(d) for d in datas]


def test_models_and_a_completion_as_the_cli_generates(served):
    server, store, client = served
    assert [m.id for m in client.models.list()] == ["store", "store:v1"]
    greedy = client.completions.create(model="store", prompt="def ", max_tokens=40, temperature=0)
    cli = peer_json(store, "generate", "--prompt", "def ", "--tokens", "40", "--temperature", "0", "--json")
    assert greedy.choices[0].text == cli["text"] and greedy.system_fingerprint == "store:v1"
    assert greedy.object == "text_completion" and greedy.model == "store"
    tokens = len(cli["text"].encode())  # the byte model: one token per byte (greedy text here is ASCII)
    assert greedy.usage.prompt_tokens == 4 and greedy.usage.completion_tokens == tokens
    assert greedy.choices[0].finish_reason == ("length" if tokens == 40 else "stop")
    raw = server.http.post("/v1/completions", json={"model": "store:v1", "prompt": "def ", "max_tokens": 4})
    assert raw.headers["x-peer-version"] == "1" and raw.json()["choices"][0]["routes"] == {"v1 code": 1.0}


def test_streaming_n_prompts_logprobs_and_stop(served):
    _, _, client = served
    whole = client.completions.create(model="store:v1", prompt="class ", max_tokens=30, seed=5, echo=True)
    chunks = list(client.completions.create(model="store:v1", prompt="class ", max_tokens=30, seed=5, echo=True,
                                            stream=True, stream_options={"include_usage": True}))
    assert "".join(c.choices[0].text for c in chunks if c.choices) == whole.choices[0].text
    assert whole.choices[0].text.startswith("class ")
    assert {c.system_fingerprint for c in chunks} == {"store:v1"} and chunks[-1].usage == whole.usage

    many = client.completions.create(model="store", prompt=["def ", "import "], n=3, max_tokens=12, seed=1,
                                     logprobs=0)
    assert [c.index for c in many.choices] == list(range(6))
    assert len({c.text for c in many.choices[:3]}) == 3  # each choice of a prompt its own draw
    assert many.usage.prompt_tokens == 4 + 7
    assert many.usage.completion_tokens == sum(len(c.logprobs.tokens) for c in many.choices)
    assert all(len(c.logprobs.tokens) == 12 for c in many.choices if c.finish_reason == "length")

    scored = client.completions.create(model="store", prompt="def ", max_tokens=10, temperature=0, logprobs=2)
    logprobs = scored.choices[0].logprobs
    assert len(logprobs.tokens) == len(logprobs.token_logprobs) == scored.usage.completion_tokens
    for lp, top in zip(logprobs.token_logprobs, logprobs.top_logprobs):  # greedy: the likeliest each time
        assert len(top) == 2 and lp == pytest.approx(max(top.values())) and lp < 0

    text = scored.choices[0].text
    cut = client.completions.create(model="store", prompt="def ", max_tokens=10, temperature=0, stop=[text[3:5]])
    assert cut.choices[0].text == text[: text.index(text[3:5])] and cut.choices[0].finish_reason == "stop"


def test_errors_are_what_the_openai_client_raises(served):
    server, _, client = served
    with pytest.raises(openai.NotFoundError, match="does not exist on this server"):
        client.completions.create(model="store:v7", prompt="x")
    with pytest.raises(openai.NotFoundError):
        client.completions.create(model="other-store", prompt="x")
    wrong = openai.OpenAI(base_url=f"{server.url}/v1", api_key="not-the-token", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="bearer token"):
        wrong.completions.create(model="store", prompt="x")
    with pytest.raises(openai.AuthenticationError):
        wrong.models.list()
    with pytest.raises(openai.BadRequestError, match="has no chat template") as chat:
        client.chat.completions.create(model="store", messages=[{"role": "user", "content": "hello"}])
    assert chat.value.body["type"] == "invalid_request_error"
    with pytest.raises(openai.BadRequestError, match="max_tokens") as big:
        client.completions.create(model="store", prompt="x", max_tokens=257)
    assert big.value.body["param"] == "max_tokens"
    with pytest.raises(openai.BadRequestError, match="not supported"):
        client.completions.create(model="store", prompt="x", presence_penalty=0.5)
    answer = server.http.post("/v1/completions", content=b'{"model": ', headers={"content-type": "application/json"})
    assert answer.status_code == 400 and set(answer.json()["error"]) == {"message", "type", "param", "code"}
    big = server.http.post("/v1/completions", json={"model": "store", "prompt": "a" * (1 << 20)})  # --max-body
    assert big.status_code == 413 and "larger than this server's limit" in big.json()["error"]["message"]


def test_generate_streams_what_it_answers_whole(served):
    server, _, _ = served
    body = {"prompt": "def ", "max_tokens": 40, "seed": 2}
    whole = server.http.post("/v1/generate", json=body).json()
    streamed = server.http.post("/v1/generate", json={**body, "stream": True})
    assert streamed.headers["content-type"].startswith("text/event-stream")
    sent = events(streamed)
    assert sent[-1] == "[DONE]" and sent[-2] == {**whole, "done": True}
    assert "".join(e["token"] for e in sent[:-2]) == whole["text"]
    assert {e["route"] for e in sent[:-2]} == {"v1 code"} and {e["version"] for e in sent[:-1]} == {1}


ROUTES = {1: {"v1 code"}, 2: {"v1 code", "v2 prose"}}


def test_8_streaming_clients_during_an_ingest_each_stream_one_version(served, text_corpora):
    server, _, _ = served
    prose = b"".join(p.read_bytes() for p in sorted(text_corpora["prose"].glob("*.txt")))
    accepted = server.http.post("/v1/ingest?name=prose&steps=30", content=prose,
                                headers={"content-type": "text/plain"})
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job"]
    followed: list = []
    follower = threading.Thread(target=lambda: followed.extend(events(server.http.get(f"/v1/jobs/{job_id}/events"))))
    follower.start()
    server.job_until(job_id, lambda j: j["state"] == "running", "the job to run")
    streams: list[tuple[set, set, str]] = []  # (fingerprints, routes, header) of each stream
    failures: list[str] = []
    done = threading.Event()

    def client_loop(k: int) -> None:
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=TOKEN, max_retries=0, timeout=120)
        while not done.is_set():
            try:
                with client.completions.with_streaming_response.create(
                        model="store", prompt=f"def f{k}(", max_tokens=24, seed=k, stream=True) as answer:
                    chunks = list(answer.parse())
                    header = answer.headers["x-peer-version"]
            except openai.OpenAIError as error:
                failures.append(repr(error))
                return
            routes = set().union(*(c.choices[0].model_extra.get("routes", {}) for c in chunks if c.choices))
            streams.append(({c.system_fingerprint for c in chunks}, routes, header))
            if chunks[-1].choices[0].finish_reason is None:
                failures.append("a stream ended without a finish reason")

    clients = [threading.Thread(target=client_loop, args=(k,)) for k in range(8)]
    for thread in clients:
        thread.start()
    job = server.job_until(job_id, lambda j: j["state"] in ("done", "failed"), "the job to end", timeout=300)
    server.job_until(job_id, lambda j: server.http.get("/healthz").json()["version"] == 2, "version 2 served")
    after = len(streams)
    server.job_until(job_id, lambda j: len(streams) >= after + 8, "streams on version 2")
    done.set()
    for thread in clients:
        thread.join(120)
    follower.join(60)
    assert not failures, failures[:3]
    assert job["state"] == "done" and job["version"] == 2, job
    for fingerprints, routes, header in streams:
        assert len(fingerprints) == 1, fingerprints  # every chunk of a stream from one version
        version = int(fingerprints.pop().removeprefix("store:v"))
        assert header == str(version) and routes <= ROUTES[version], (version, routes)
    versions = [int(h) for _, _, h in streams]
    assert versions.count(1) >= 8 and versions.count(2) >= 8, versions
    assert followed[-1] == "[DONE]" and followed[-2]["state"] == "done" and followed[-2]["version"] == 2
    steps = [e["step"] for e in followed[:-1] if e["state"] == "running" and e["step"]]
    assert steps == sorted(steps) and steps[-1] == 30 and len(steps) >= 2
