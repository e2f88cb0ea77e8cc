"""The pieces of an OpenAI completion: stop strings over a stream of bytes, nucleus sampling, and chat for a
tokenizer with a chat template (in-process, on the module's store)."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
import torch
from fastapi.testclient import TestClient

from continual.inference import _truncate
from service.app import create_app
from service.completions import StopText
from service.core import Service


def released(stops: list[str], data: bytes) -> tuple[str, bool]:
    """Feed ``data`` one byte at a time: the text let go of, and whether a stop string was met."""
    text, out = StopText(stops), ""
    for i in range(len(data)):
        out += text.feed(data[i : i + 1])
        if text.stopped:
            return out, True
    return out + text.feed(b"", final=True), False


def test_stop_strings_cut_the_text_and_hold_back_what_may_start_one():
    assert released(["XY"], b"ab\nXYcd") == ("ab\n", True)
    assert released(["\n\n", "END"], "é ENx\n!\n\nz".encode()) == ("é ENx\n!", True)
    assert released(["XY"], b"abX") == ("abX", False)  # held back, then released at the end
    partial = StopText(["XY"])
    assert partial.feed(b"aX") == "a" and partial.feed(b"Z") == "XZ" and not partial.stopped
    utf8 = StopText([])
    assert utf8.feed("é".encode()[:1]) == "" and utf8.feed("é".encode()[1:]) == "é"  # never half a character


def test_top_p_keeps_the_smallest_set_holding_that_mass():
    logits = torch.tensor([0.5, 0.3, 0.15, 0.05], dtype=torch.float64).log()
    assert _truncate(logits, None, 0.6, 1.0).tolist() == pytest.approx([0.5 / 0.8, 0.3 / 0.8, 0, 0])
    assert _truncate(logits, None, 0.5, 1.0).tolist() == pytest.approx([1, 0, 0, 0])
    assert _truncate(logits, None, 1.0, 1.0).tolist() == pytest.approx([0.5, 0.3, 0.15, 0.05])
    assert _truncate(logits, 3, 1.0, 1.0).tolist() == pytest.approx([0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0])
    assert _truncate(logits, None, 1.0, 0.0).tolist() == [1, 0, 0, 0]  # temperature 0: the likeliest
    assert math.isclose(float(_truncate(logits, None, 0.9, 0.5).sum()), 1.0)


@dataclasses.dataclass
class Templated:
    """A byte tokenizer with a chat template, as a pretrained base's tokenizer has one."""

    inner: object
    chat_template: str = "<{role}>{content}\n"

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def apply_chat_template(self, messages, *, tokenize: bool, add_generation_prompt: bool) -> str:
        assert not tokenize and add_generation_prompt
        return "".join(self.chat_template.format(**m) for m in messages) + "<assistant>"


@pytest.mark.slow
def test_chat_renders_the_template_and_answers_as_a_completion(copy_store):
    service = Service(copy_store())
    service.start()
    try:
        served = service.versions.get()
        object.__setattr__(served, "tokenizer", Templated(served.tokenizer))
        with TestClient(create_app(service)) as http:
            messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "def"}]
            chat = http.post("/v1/chat/completions", json={"model": "store", "messages": messages, "temperature": 0,
                                                           "max_completion_tokens": 12})
            prompt = "<system>Be brief.\n<user>def\n<assistant>"
            plain = http.post("/v1/completions", json={"model": "store", "prompt": prompt, "temperature": 0,
                                                       "max_tokens": 12}).json()
            assert chat.status_code == 200, chat.text
            body = chat.json()
            assert body["object"] == "chat.completion" and body["system_fingerprint"] == "store:v1"
            assert body["choices"][0]["message"] == {"role": "assistant", "content": plain["choices"][0]["text"]}
            assert body["usage"] == plain["usage"]
            streamed = http.post("/v1/chat/completions", json={"model": "store", "messages": messages,
                                                               "temperature": 0, "max_tokens": 12, "stream": True})
            chunks = [line.removeprefix("data: ") for line in streamed.text.split("\n\n") if line]
            assert chunks[-1] == "[DONE]"
            deltas = [json.loads(c)["choices"][0]["delta"] for c in chunks[:-1]]
            assert deltas[0] == {"role": "assistant", "content": ""}
            assert "".join(d.get("content", "") for d in deltas) == plain["choices"][0]["text"]
    finally:
        service.stop()
