"""`peer serve` against requests a hostile or careless client sends: every answer is the documented one, and
no client can grow the server's metrics or spend its time without bound."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.service.conftest import Server

pytestmark = pytest.mark.slow  # one server process for the module
TOKEN = "hostile-test-token"


@pytest.fixture(scope="module")
def server(copy_store, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "token").write_text(TOKEN + "\n")
    started = Server(copy_store(), root / "serve.log", "--token-file", str(root / "token"),
                     "--max-score-tokens", "2000")
    yield started
    started.ensure_dead()


def post_json(server: Server, path: str, raw: bytes):
    return server.http.post(path, content=raw, headers={"content-type": "application/json"})


def test_an_unauthenticated_upload_gets_its_401_with_urllib(server):
    body = b"some text of a corpus\n" * 270_000  # 5.9 MB, within --max-upload
    request = urllib.request.Request(server.url + "/v1/ingest?name=big", data=body, method="POST",
                                     headers={"content-type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as refused:  # not a ConnectionResetError
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 401


def test_metrics_labels_come_from_a_closed_set(server):
    for method in ("FOOBAR", "XYZZY1", "XYZZY2"):
        server.http.request(method, "/v1/versions")
    server.http.get("/no/such/path/12345")
    text = server.http.get("/metrics").text
    assert not any(word in text for word in ("FOOBAR", "XYZZY", "12345"))
    assert 'method="OTHER"' in text


@pytest.mark.parametrize("raw, field, words", [
    (b'{"prompt": "\\ud800 abc", "max_tokens": 2}', "body.prompt", "lone surrogate"),
    (b'{"prompt": "a", "seed": ' + b"7" * 5000 + b"}", "body", "more than 4300 digits"),
    (b'{"prompt": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "body", "nested too deeply"),
])
def test_unreadable_generate_bodies_are_422_naming_the_field(server, raw, field, words):
    answer = post_json(server, "/v1/generate", raw)
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["errors"]
    assert problem["field"] == field and words in problem["message"], problem


def test_score_has_a_per_request_bound_on_tokens(server):
    answer = post_json(server, "/v1/score", json.dumps({"texts": ["x" * 1500, "y" * 1500]}).encode())
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["errors"]
    assert problem["field"] == "body.texts" and "at most 2,000 per request" in problem["message"]
    assert post_json(server, "/v1/score", json.dumps({"texts": ["x" * 1500]}).encode()).status_code == 200


def test_versions_naming_none_is_refused(server):
    answer = server.http.get("/v1/forgetting", params={"versions": ",,,"})
    assert answer.status_code == 422 and "names no version" in answer.json()["detail"]
