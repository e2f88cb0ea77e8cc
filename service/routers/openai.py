"""The OpenAI-compatible API: ``GET /v1/models``, ``POST /v1/completions``, ``POST /v1/chat/completions``.

An application written for OpenAI's client points its ``base_url`` at ``peer serve`` and works unchanged:

    client = OpenAI(base_url="http://127.0.0.1:8000/v1", api_key=token)   # any key without --auth-reads
    client.completions.create(model="my-store", prompt="def ", max_tokens=32, stream=True)

The models are the store's ready versions: ``<store>`` is the current one (it follows new versions) and
``<store>:v3`` is version 3. A request takes its version once, at its start, so a whole answer and every
chunk of a stream come from one version, named in ``system_fingerprint`` (``<store>:v3``) and in the
``X-Peer-Version`` header. Each choice also says which routes computed its tokens (``routes``, the shares
``/v1/score`` reports). Errors on these paths have OpenAI's shape (:mod:`service.http`). Chat needs a base
whose tokenizer has a chat template; the built-in byte-level model has none and gets one 400 saying so.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from continual.inference import SampledToken, text_bytes
from continual.versions import LoadedVersion
from peer_store.db import VersionInfo, VersionNotFound
from peer_store.errors import ConfigError
from service.completions import Choice, Piece, complete, logprobs_of, route_shares, token_text
from service.core import Service
from service.deps import Reads, ServiceDep, at_most
from service.http import Unsupported, request_check, sse

MAX_CHOICES = 64
"""Choices one request may ask for (prompts times n)."""

router = APIRouter(tags=["openai"], dependencies=[Reads])


class StreamOptions(BaseModel):
    include_usage: bool = False


class Sampling(BaseModel):
    """What completions and chat share. Options this server cannot honour are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")
    model: str = Field(description="`<store>` (the current version) or `<store>:vN`; GET /v1/models lists them.")
    max_tokens: int | None = Field(None, ge=1, description="Tokens per choice at most (the server's --max-tokens "
                                                            "bounds it).")
    temperature: float = Field(1.0, ge=0, le=2, description="0: always the likeliest token.")
    top_p: float = Field(1.0, gt=0, le=1)
    n: int = Field(1, ge=1, le=MAX_CHOICES)
    stream: bool = False
    stream_options: StreamOptions | None = None
    stop: str | list[str] | None = Field(None, description="Up to 4 strings; the text ends before the first.")
    seed: int | None = Field(None, ge=-(2**63), lt=2**63)
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    logit_bias: dict[str, float] | None = None
    user: str | None = None

    @model_validator(mode="after")
    def _supported(self):
        if self.presence_penalty or self.frequency_penalty:
            raise ValueError("presence_penalty and frequency_penalty are not supported by peer serve; leave them 0")
        if self.logit_bias:
            raise ValueError("logit_bias is not supported by peer serve; leave it out")
        if isinstance(self.stop, list) and len(self.stop) > 4:
            raise ValueError("stop takes at most 4 strings")
        return self

    @property
    def stops(self) -> list[str]:
        return [self.stop] if isinstance(self.stop, str) else list(self.stop or [])


class CompletionRequest(Sampling):
    prompt: str | list[str] = Field(description="A prompt, or a list of prompts (n choices each).")
    max_tokens: int | None = Field(16, ge=1)
    echo: bool = Field(False, description="Begin each choice's text with its prompt.")
    logprobs: int | None = Field(None, ge=0, le=5, description="Also the log-probabilities of each token and of "
                                                               "this many likeliest alternatives.")
    best_of: int | None = Field(None, ge=1, description="Only n (or none) is supported: every choice is returned.")
    suffix: None = Field(None, description="Not supported: leave it out.")

    @model_validator(mode="after")
    def _best_of(self):
        if self.best_of not in (None, self.n):
            raise ValueError("best_of is not supported by peer serve; leave it out (or equal to n)")
        if isinstance(self.prompt, list) and not self.prompt:
            raise ValueError("prompt is an empty list; send a string or at least one")
        return self


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str
    name: str | None = None


class ChatRequest(Sampling):
    messages: list[ChatMessage] = Field(min_length=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    logprobs: bool = False
    top_logprobs: int | None = Field(None, ge=0, le=5)


def store_name(service: Service) -> str:
    return service.reader.path.name


def served_model(service: Service, model: str) -> LoadedVersion:
    """The version ``model`` names: ``<store>`` (the current one) or ``<store>:vN`` (a ready version N)."""
    name = store_name(service)
    if model == name:
        return service.versions.get(None)
    number = model.removeprefix(f"{name}:v")
    if number == model or not number.isdigit() or int(number) not in ready_versions(service):
        raise VersionNotFound(f"the model {model!r} does not exist on this server; GET /v1/models lists them "
                              f"({name!r} is the current version, '{name}:vN' the ready version N)")
    return service.versions.get(int(number))


def ready_versions(service: Service) -> dict[int, VersionInfo]:
    return {v.number: v for v in service.reader.versions() if v.status == "ready"}


@router.get("/v1/models")
def models(service: ServiceDep) -> dict[str, Any]:
    """The current version as `<store>`, and every ready version as `<store>:vN`, oldest first."""
    name = store_name(service)
    ready = list(ready_versions(service).values())
    entries = [(name, ready[-1])] if ready else []
    entries += [(f"{name}:v{v.number}", v) for v in ready]
    return {"object": "list", "data": [{"id": model, "object": "model", "created": int(v.created_at.timestamp()),
                                        "owned_by": "peer-store"} for model, v in entries]}


class Answer:
    """One request's answer: its id, its version, and its choices as whole objects or as stream chunks. The
    two kinds of answer differ only in :meth:`choice` and :meth:`chunk`."""

    object = "text_completion"

    def __init__(self, service: Service, served: LoadedVersion, body: Sampling, prompts: list[str], *,
                 check: Callable[[], None] = lambda: None):
        self.service, self.served, self.body, self.check = service, served, body, check
        self.id = f"cmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self.fingerprint = f"{store_name(service)}:v{served.number}"
        seed = body.seed if body.seed is not None else secrets.randbits(31)
        self.runs = [(i * body.n + j, prompt, seed + i * body.n + j) for i, prompt in enumerate(prompts)
                     for j in range(body.n)]  # (choice index, prompt, seed): each choice its own draw
        self.prompt_tokens = sum(len(served.tokenizer.encode(text_bytes(p))) for p in prompts)

    def pieces(self, prompt: str, seed: int, top_logprobs: int) -> Iterator[Piece]:
        limit = self.body.max_tokens or self.service.options.max_tokens
        return complete(self.served, prompt, max_tokens=limit, temperature=self.body.temperature,
                        top_p=self.body.top_p, seed=seed, stop=self.body.stops, top_logprobs=top_logprobs)

    def envelope(self, choices: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
        return {"id": self.id, "object": self.object, "created": self.created, "model": self.body.model,
                "system_fingerprint": self.fingerprint, "choices": choices, **more}

    def usage(self, completion_tokens: int) -> dict[str, int]:
        self.service.metrics.tokens("generated", completion_tokens)
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": completion_tokens,
                "total_tokens": self.prompt_tokens + completion_tokens}

    def headers(self) -> dict[str, str]:
        return {"X-Peer-Version": str(self.served.number)}

    def whole(self, top_logprobs: int | None) -> JSONResponse:
        choices = []
        for index, prompt, seed in self.runs:
            choice = Choice(index)
            for piece in self.pieces(prompt, seed, top_logprobs or 0):
                self.check()  # a whole answer is computed in this request's worker: its time bound holds
                choice.add(piece)
            choices.append(choice)
        body = self.envelope([self.choice(c, prompt, top_logprobs) for c, (_, prompt, _) in zip(choices, self.runs)],
                             usage=self.usage(sum(len(c.tokens) for c in choices)))
        return JSONResponse(body, headers=self.headers())

    def streamed(self, top_logprobs: int | None) -> StreamingResponse:
        return StreamingResponse(self._events(top_logprobs), media_type="text/event-stream",
                                 headers={**self.headers(), "Cache-Control": "no-cache"})

    def _events(self, top_logprobs: int | None) -> Iterator[bytes]:
        generated = 0
        try:
            for index, prompt, seed in self.runs:
                yield from (sse(self.envelope([c])) for c in self.opening(index, prompt))
                for piece in self.pieces(prompt, seed, top_logprobs or 0):
                    generated += piece.token is not None
                    if piece.text or piece.finish_reason:
                        yield sse(self.envelope([self.chunk(index, piece, top_logprobs)]))
            if self.body.stream_options and self.body.stream_options.include_usage:
                yield sse(self.envelope([], usage=self.usage(generated)))
            else:
                self.service.metrics.tokens("generated", generated)
        except ConfigError as error:  # the answer has begun: the error goes in the stream, in OpenAI's shape
            yield sse({"error": {"message": str(error), "type": "invalid_request_error", "param": None, "code": None}})
        yield sse("[DONE]")

    # -- the shape of a text completion ------------------------------------------------------------
    def choice(self, choice: Choice, prompt: str, top_logprobs: int | None) -> dict[str, Any]:
        head = prompt if self.body.echo else ""
        logprobs = None if top_logprobs is None else logprobs_of(choice.tokens, self.served, len(head))
        return {"index": choice.index, "text": head + choice.text, "logprobs": logprobs,
                "finish_reason": choice.finish_reason, "routes": route_shares(choice.tokens, self.served)}

    def opening(self, index: int, prompt: str) -> list[dict[str, Any]]:
        """Chunks before the first token: the echoed prompt."""
        return [{"index": index, "text": prompt, "logprobs": None, "finish_reason": None}] if self.body.echo else []

    def chunk(self, index: int, piece: Piece, top_logprobs: int | None) -> dict[str, Any]:
        tokens = [] if piece.token is None else [piece.token]
        logprobs = None if top_logprobs is None or not tokens else logprobs_of(tokens, self.served, 0)
        return {"index": index, "text": piece.text, "logprobs": logprobs, "finish_reason": piece.finish_reason,
                "routes": route_shares(tokens, self.served) if tokens else {}}


class ChatAnswer(Answer):
    """The same answer in the shape of a chat completion: a message, or deltas."""

    object = "chat.completion"

    def envelope(self, choices: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
        body = super().envelope(choices, **more)
        if self.body.stream:
            body["object"] = "chat.completion.chunk"
        return body

    def choice(self, choice: Choice, prompt: str, top_logprobs: int | None) -> dict[str, Any]:
        return {"index": choice.index, "message": {"role": "assistant", "content": choice.text},
                "logprobs": None if top_logprobs is None else {"content": self._content_logprobs(choice.tokens)},
                "finish_reason": choice.finish_reason, "routes": route_shares(choice.tokens, self.served)}

    def opening(self, index: int, prompt: str) -> list[dict[str, Any]]:
        return [{"index": index, "delta": {"role": "assistant", "content": ""}, "logprobs": None,
                 "finish_reason": None}]

    def chunk(self, index: int, piece: Piece, top_logprobs: int | None) -> dict[str, Any]:
        tokens = [] if piece.token is None else [piece.token]
        logprobs = None if top_logprobs is None or not tokens else {"content": self._content_logprobs(tokens)}
        return {"index": index, "delta": {"content": piece.text} if piece.text else {}, "logprobs": logprobs,
                "finish_reason": piece.finish_reason}

    def _content_logprobs(self, tokens: list[SampledToken]) -> list[dict[str, Any]]:
        def entry(data: bytes, logprob: float) -> dict[str, Any]:
            return {"token": token_text(data), "logprob": logprob, "bytes": list(data)}

        decode = self.served.tokenizer.decode
        return [{**entry(t.data, t.logprob), "top_logprobs": [entry(decode([i]), lp) for i, lp in t.top]}
                for t in tokens]


@router.post("/v1/completions")
def completions(service: ServiceDep, body: CompletionRequest, request: Request) -> Any:
    """Continue each prompt `n` times (OpenAI's completions; `stream` sends server-sent events ending with
    `data: [DONE]`)."""
    prompts = [body.prompt] if isinstance(body.prompt, str) else body.prompt
    at_most(body.max_tokens, service.options.max_tokens, ("body", "max_tokens"))
    at_most(len(prompts) * body.n, MAX_CHOICES, ("body", "n"))
    answer = Answer(service, served_model(service, body.model), body, prompts,
                    check=request_check(request, service.options.max_request_s))
    return answer.streamed(body.logprobs) if body.stream else answer.whole(body.logprobs)


@router.post("/v1/chat/completions")
def chat_completions(service: ServiceDep, body: ChatRequest, request: Request) -> Any:
    """Answer a conversation (OpenAI's chat completions), for a base whose tokenizer has a chat template."""
    served = served_model(service, body.model)
    tokenizer = served.tokenizer
    if getattr(tokenizer, "chat_template", None) is None:
        raise Unsupported(f"the model {body.model!r} has no chat template (its tokenizer is "
                              f"{tokenizer.name!r}); use POST /v1/completions with a prompt")
    body.max_tokens = body.max_completion_tokens or body.max_tokens
    at_most(body.max_tokens, service.options.max_tokens, ("body", "max_tokens"))
    at_most(body.n, MAX_CHOICES, ("body", "n"))
    prompt = tokenizer.apply_chat_template([m.model_dump(exclude_none=True) for m in body.messages], tokenize=False,
                                           add_generation_prompt=True)
    answer = ChatAnswer(service, served, body, [prompt], check=request_check(request, service.options.max_request_s))
    top = (body.top_logprobs or 0) if body.logprobs else None
    return answer.streamed(top) if body.stream else answer.whole(top)
