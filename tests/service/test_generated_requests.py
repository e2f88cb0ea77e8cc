"""Generated requests (hypothesis) against the app in this process: JSON bodies of every shape for score and
generate, and uploads of every content for ingest. Every answer is a documented status with a JSON body saying
why; none is a 500, whatever the client sends."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from starlette.testclient import TestClient

from service.app import create_app
from service.core import ServeOptions, Service
from service.http import Conflict

pytestmark = pytest.mark.slow  # a loaded version, 120 generated requests
TOKEN = "generated-requests-token"
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELDS = {  # values near what each endpoint takes, so that generated bodies reach past the first check
    "texts": st.lists(st.text(max_size=40), max_size=3) | JSON,
    "version": st.integers(-2, 3) | JSON,
    "prompt": st.text(max_size=20) | JSON,
    "max_tokens": st.integers(-2, 4) | st.integers() | JSON,
    "temperature": st.floats() | JSON,
    "top_k": st.integers(-1, 50) | JSON,
    "seed": st.integers() | JSON,
}
BODIES = st.dictionaries(st.sampled_from(sorted(FIELDS)), st.just(None), max_size=5).flatmap(
    lambda keys: st.fixed_dictionaries({k: FIELDS[k] for k in keys})) | JSON
RAW = st.binary(max_size=64) | st.sampled_from([b"[" * 50_000, b'{"seed": ' + b"9" * 5000 + b"}", b'"\\ud800"'])
UPLOAD_TYPES = ["text/plain", "application/jsonl", "application/gzip", "application/octet-stream", "image/png",
                "multipart/form-data; boundary=x", ""]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Accepted(Conflict):
    """Raised where a checked upload would be queued: the test wants the answer, not the training."""


@pytest.fixture(scope="module")
def http(copy_store):
    service = Service(copy_store(), options=ServeOptions(token=TOKEN, max_body=4096, max_upload=4096,
                                                         max_score_tokens=512))
    service.start()

    def accepted(**_fields):
        raise Accepted("accepted")

    service.runner.submit = accepted  # no job ever runs: a checked upload answers 409 "accepted"
    with TestClient(create_app(service), raise_server_exceptions=False) as client:
        yield client


def well_answered(answer, allowed: set[int]) -> None:
    assert answer.status_code in allowed, (answer.status_code, answer.text[:300])
    if answer.status_code >= 400:
        body = answer.json()
        assert isinstance(body.get("detail"), str) and body["detail"], body


@SETTINGS
@given(path=st.sampled_from(["/v1/score", "/v1/generate"]), body=BODIES)
def test_generated_json_bodies(http, path, body):
    raw = json.dumps(body, allow_nan=True).encode()
    answer = http.post(path, content=raw, headers={"content-type": "application/json"})
    well_answered(answer, {200, 404, 413, 422})


@SETTINGS
@given(path=st.sampled_from(["/v1/score", "/v1/generate"]), raw=RAW)
def test_generated_raw_bodies(http, path, raw):
    answer = http.post(path, content=raw, headers={"content-type": "application/json"})
    well_answered(answer, {413, 422})


@SETTINGS
@given(content=st.binary(max_size=6000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
       kind=st.sampled_from(UPLOAD_TYPES), name=st.text(max_size=12), format=st.sampled_from([None, "text", "jsonl"]))
def test_generated_uploads(http, content, kind, name, format):
    params = {"name": name, **({} if format is None else {"format": format})}
    answer = http.post("/v1/ingest", params=params, content=content,
                       headers={"content-type": kind, "authorization": f"Bearer {TOKEN}"})
    well_answered(answer, {409, 413, 415, 422} | ({400} if kind.startswith("multipart/") else set()))  # 400: no parts
