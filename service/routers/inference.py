"""Routed scoring and generation with a served version: ``POST /v1/score`` and ``POST /v1/generate``.

A request takes its version once (:meth:`service.models.ServedVersions.get`) and computes its whole answer
with it; the answer names that version (its ``version`` field and the ``X-Peer-Version`` header).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from continual.inference import sample, score_documents, score_total
from service.deps import Reads, ServiceDep, at_most

router = APIRouter(tags=["inference"], dependencies=[Reads])


class ScoreRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    texts: list[str] = Field(min_length=1, description="The texts to score, each one document.")
    version: int | None = Field(None, ge=1, description="The version to score with (default: the current one).")


class GenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt: str
    max_tokens: int = Field(200, ge=1, description="Tokens to generate at most (the server's --max-tokens bounds it).")
    temperature: float = Field(0.8, gt=0, allow_inf_nan=False)
    top_k: int = Field(40, ge=0, description="Sample among the k likeliest tokens (0: all).")
    seed: int = 0
    version: int | None = Field(None, ge=1)


@router.post("/v1/score")
def score(service: ServiceDep, body: ScoreRequest, response: Response) -> dict[str, Any]:
    """Per text: loss (nats/token), bits per byte, tokens, and the share of its tokens each version's route
    served; then the whole (as `peer score --json`)."""
    served = service.versions.get(body.version)  # once: the whole answer comes from this version
    scores = score_documents(served.model, served.tokenizer, [t.encode("utf-8", "surrogatepass") for t in body.texts],
                             seq_len=service.config.seq_len, batch_size=service.config.batch_size)
    service.metrics.tokens("scored", sum(s.tokens for s in scores))
    response.headers["X-Peer-Version"] = str(served.number)
    return {"version": served.number, "documents": [s.to_dict() for s in scores], "total": score_total(scores)}


@router.post("/v1/generate")
def generate(service: ServiceDep, body: GenerateRequest, response: Response) -> dict[str, Any]:
    """Continue a prompt, each token routed as the store routes it (as `peer generate --json`)."""
    at_most(body.max_tokens, service.options.max_tokens, ("body", "max_tokens"))
    served = service.versions.get(body.version)
    text = sample(served.model, served.tokenizer, body.prompt, tokens=body.max_tokens,
                  temperature=body.temperature, top_k=body.top_k or None, seed=body.seed)
    service.metrics.tokens("generated", len(served.tokenizer.encode(text.encode("utf-8"))))
    response.headers["X-Peer-Version"] = str(served.number)
    return {"version": served.number, "prompt": body.prompt, "text": text}
