"""Routed scoring and generation with a served version: ``POST /v1/score`` and ``POST /v1/generate``.

A request takes its version once (:meth:`service.models.ServedVersions.get`) and computes its whole answer
with it; the answer names that version (its ``version`` field and the ``X-Peer-Version`` header).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from continual.inference import route_labels, sample, score_documents, score_total
from continual.versions import LoadedVersion
from service.completions import complete
from service.core import Service
from service.deps import Reads, ServiceDep, at_most
from service.http import request_check, sse

router = APIRouter(tags=["inference"], dependencies=[Reads])


def _characters(value: str) -> str:
    """``value`` if it is text: JSON's ``\\ud800`` escapes a lone surrogate, which no UTF-8 can carry."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"holds a lone surrogate ({value[error.start]!r} at {error.start}), which is not a "
                         "character; send UTF-8 text") from None
    return value


Text = Annotated[str, AfterValidator(_characters)]


class ScoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    texts: list[str] = Field(min_length=1, description="The texts to score, each one document.")
    version: int | None = Field(None, ge=1, description="The version to score with (default: the current one).")
    each_token: bool = Field(False, description="Also every token of each text: its text, the route that "
                                                "computed it, its loss (the dashboard colours them).")


class GenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt: Text
    max_tokens: int = Field(200, ge=1, description="Tokens to generate at most (the server's --max-tokens bounds it).")
    temperature: float = Field(0.8, gt=0, allow_inf_nan=False)
    top_k: int = Field(40, ge=0, description="Sample among the k likeliest tokens (0: all).")
    seed: int = 0
    version: int | None = Field(None, ge=1)
    stream: bool = Field(False, description="Send each token as it is made, as server-sent events: "
                                            "{version, token, route} per token, then {version, prompt, text, done}, "
                                            "then [DONE].")


@router.post("/v1/score")
def score(service: ServiceDep, body: ScoreRequest, request: Request, response: Response) -> dict[str, Any]:
    """Per text: loss (nats/token), bits per byte, tokens, and the share of its tokens each version's route
    served; then the whole (as `peer score --json`). With `each_token`, each text also lists its tokens
    (`each`: text, route, loss)."""
    served = service.versions.get(body.version)  # once: the whole answer comes from this version
    documents = [t.encode("utf-8", "surrogatepass") for t in body.texts]
    tokens = sum(len(served.tokenizer.encode(d)) + 1 for d in documents)
    if tokens > service.options.max_score_tokens:  # the request's bound on the server's time
        raise RequestValidationError([{"loc": ("body", "texts"), "type": "less_than_equal",
                                       "msg": f"the texts hold {tokens:,} tokens; this server scores at most "
                                              f"{service.options.max_score_tokens:,} per request"}])
    scores = score_documents(served.model, served.tokenizer, documents, seq_len=service.config.seq_len,
                             batch_size=service.config.batch_size, each_token=body.each_token,
                             check=request_check(request, service.options.max_request_s))
    service.metrics.tokens("scored", sum(s.tokens for s in scores))
    response.headers["X-Peer-Version"] = str(served.number)
    return {"version": served.number, "documents": [s.to_dict() for s in scores], "total": score_total(scores)}


@router.post("/v1/generate", response_model=None)
def generate(service: ServiceDep, body: GenerateRequest, request: Request,
             response: Response) -> dict[str, Any] | StreamingResponse:
    """Continue a prompt, each token routed as the store routes it (as `peer generate --json`); with `stream`,
    token by token, each naming the route that computed it."""
    at_most(body.max_tokens, service.options.max_tokens, ("body", "max_tokens"))
    served = service.versions.get(body.version)
    if body.stream:
        return StreamingResponse(_tokens(service, served, body), media_type="text/event-stream",
                                 headers={"X-Peer-Version": str(served.number), "Cache-Control": "no-cache"})
    text = sample(served.model, served.tokenizer, body.prompt, tokens=body.max_tokens,
                  temperature=body.temperature, top_k=body.top_k or None, seed=body.seed,
                  check=request_check(request, service.options.max_request_s))
    service.metrics.tokens("generated", len(served.tokenizer.encode(text.encode("utf-8"))))
    response.headers["X-Peer-Version"] = str(served.number)
    return {"version": served.number, "prompt": body.prompt, "text": text}


def _tokens(service: Service, served: LoadedVersion, body: GenerateRequest) -> Iterator[bytes]:
    labels = route_labels(served.model)
    text, count = "", 0
    for piece in complete(served, body.prompt, max_tokens=body.max_tokens, temperature=body.temperature,
                          top_k=body.top_k or None, seed=body.seed):
        text += piece.text
        if piece.token is not None or piece.text:  # the last piece may release the end of a character
            count += piece.token is not None
            route = None if piece.token is None else labels[piece.token.route]
            yield sse({"version": served.number, "token": piece.text, "route": route})
    service.metrics.tokens("generated", count)
    yield sse({"version": served.number, "prompt": body.prompt, "text": text, "done": True})
    yield sse("[DONE]")
