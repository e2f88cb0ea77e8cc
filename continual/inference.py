"""Reading a version the way a user's text goes through it: scoring documents and generating, both routed.

    from continual import load_model, score_documents, sample

    version = load_model("my-store")                       # the current version: a RoutedModel and its tokenizer
    scores = score_documents(version.model, version.tokenizer, [b"def f(x):\\n    return x\\n"])
    text = sample(version.model, version.tokenizer, "def ", tokens=80)

Every token is routed as the store routes it (:class:`continual.routed.RoutedModel`),
so a score or a sample is what a user of that version gets.
"""

from __future__ import annotations

import codecs
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from continual.config import ContinualConfig
from continual.corpora import DEFAULT_SCORE_BYTES
from continual.routed import RoutedModel
from continual.students import as_routed, load_student
from continual.versions import LoadedVersion, load_version
from peer_store.db import Store
from peer_store.errors import ConfigError
from trainer.data import Corpus, Document, ReadLimits, Tokenizer

LN2 = math.log(2.0)


def load_model(store: Store | str | Path, version: int | str = "current", *, db_url: str | None = None) -> LoadedVersion:
    """A ready version of a store as an ordinary ``nn.Module`` (:class:`RoutedModel`, in eval mode) with its
    tokenizer; ``store`` is an open :class:`Store` or a store folder."""
    if isinstance(store, Store):
        loaded = load_version(store, version)
    else:
        with Store.open(store, db_url=db_url) as opened:
            loaded = load_version(opened, version)
    loaded.model.eval()
    return loaded


@dataclass
class DocumentScore:
    name: str
    tokens: int
    """Tokens predicted: the document's and its end-of-document token."""
    bytes: int
    loss: float
    """Mean next-token cross-entropy, nats per token."""
    bits_per_byte: float
    routes: dict[str, float] = field(default_factory=dict)
    """Share of the document's tokens each route served, by route label (``v{n} {corpus}``)."""
    each: list[dict[str, Any]] | None = None
    """With ``each_token``: every predicted token in order, its ``text``, the ``route`` that computed it and its
    ``loss`` (the last is the end-of-document token, whose text is empty)."""

    def to_dict(self) -> dict[str, Any]:
        out = {"name": self.name, "tokens": self.tokens, "bytes": self.bytes, "loss": self.loss,
               "bits_per_byte": self.bits_per_byte, "routes": dict(self.routes)}
        return out if self.each is None else {**out, "each": self.each}


def route_labels(model: RoutedModel) -> list[str]:
    """``v{n} {corpus}`` of every route (``base`` for a model that does not route)."""
    if not model.routes:
        return ["base"]
    return [f"v{r.learnt_by} {r.name}" if r.learnt_by is not None else r.name for r in model.routes]


@torch.no_grad()
def score_documents(
    model: RoutedModel,
    tokenizer: Tokenizer,
    documents: list[bytes] | list[Document],
    *,
    seq_len: int | None = None,
    batch_size: int = 16,
    each_token: bool = False,
    check: Callable[[], None] = lambda: None,
) -> list[DocumentScore]:
    """Per document: loss, bits per byte and the routes that served it (and with ``each_token``, every token's
    route and loss). Each document is read after an end-of-document token and followed by one (as in
    training), in non-overlapping windows of ``seq_len`` tokens (the model's longest by default).
    ``check()`` runs before each batch: what it raises stops the scoring (a server's time limit, a client
    that has gone)."""
    seq_len = seq_len or model.config.max_seq_len
    if not 1 <= seq_len <= model.config.max_seq_len:
        raise ConfigError(f"seq_len must be in [1, {model.config.max_seq_len}], got {seq_len}")
    docs = [d if isinstance(d, Document) else Document(f"#{i}", d) for i, d in enumerate(documents)]
    labels = route_labels(model)
    eos = tokenizer.eos_id
    windows: list[tuple[int, torch.Tensor]] = []  # (document, tokens [n + 1] with n <= seq_len)
    for j, doc in enumerate(docs):
        ids = torch.from_numpy(tokenizer.encode(doc.data)).long()
        seq = torch.cat([torch.tensor([eos]), ids, torch.tensor([eos])])  # [n + 2]
        for start in range(0, seq.numel() - 1, seq_len):
            windows.append((j, seq[start : start + seq_len + 1]))
    nll = torch.zeros(len(docs), dtype=torch.float64)
    count = torch.zeros(len(docs), dtype=torch.int64)
    served = torch.zeros(len(docs), len(labels), dtype=torch.float64)
    each: list[list[dict[str, Any]]] = [[] for _ in docs]
    decoders = [codecs.getincrementaldecoder("utf-8")(errors="replace") for _ in docs]
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        for b in range(0, len(windows), batch_size):
            check()
            chunk = windows[b : b + batch_size]
            width = max(w.numel() for _, w in chunk) - 1
            x = torch.full((len(chunk), width + 1), eos, dtype=torch.long)
            mask = torch.zeros(len(chunk), width, dtype=torch.bool)
            for row, (_, w) in enumerate(chunk):  # padding after a window's end cannot reach it: causal
                x[row, : w.numel()] = w
                mask[row, : w.numel() - 1] = True
            x, mask = x.to(device), mask.to(device)
            inputs, targets = x[:, :-1], x[:, 1:]
            route = model.route(inputs)  # [b, S]
            logits = model(inputs, route=route).logits.float()  # [b, S, V]
            losses = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), reduction="none").view_as(targets)
            for row, (j, _) in enumerate(chunk):
                keep = mask[row]
                nll[j] += float(losses[row][keep].double().sum())
                count[j] += int(keep.sum())
                served[j] += torch.bincount(route[row][keep], minlength=len(labels)).double().cpu()
                if each_token:  # windows are in document order, so the tokens are too
                    each[j] += _each(tokenizer, decoders[j], labels, targets[row][keep], route[row][keep],
                                     losses[row][keep])
    finally:
        model.train(was_training)
    out = []
    for j, doc in enumerate(docs):
        n_bytes = len(doc.data) + 1  # the end-of-document token counts as one byte, as in evaluation
        shares = served[j] / served[j].sum()
        out.append(DocumentScore(doc.name, int(count[j]), len(doc.data), float(nll[j] / count[j]),
                                 float(nll[j] / LN2 / n_bytes),
                                 {label: float(s) for label, s in zip(labels, shares) if s > 0},
                                 each[j] if each_token else None))
    return out


def _each(tokenizer: Tokenizer, decoder: codecs.IncrementalDecoder, labels: list[str], targets: torch.Tensor,
          routes: torch.Tensor, losses: torch.Tensor) -> list[dict[str, Any]]:
    """Each token's text (what it completes of the document's UTF-8: empty for the first bytes of a character),
    route label and loss."""
    return [{"text": decoder.decode(tokenizer.decode([t])), "route": labels[r], "loss": loss}
            for t, r, loss in zip(targets.tolist(), routes.tolist(), losses.tolist())]


def score_total(scores: list[DocumentScore]) -> dict[str, Any]:
    """The whole of ``scores``: documents, tokens, token-weighted loss, byte-weighted bits per byte, and the share
    of all tokens each route served (what ``peer score --json`` prints under ``total``)."""
    tokens = sum(s.tokens for s in scores)
    routes: dict[str, float] = {}
    for s in scores:
        for label, share in s.routes.items():
            routes[label] = routes.get(label, 0.0) + share * s.tokens / tokens
    return {
        "documents": len(scores),
        "tokens": tokens,
        "loss": sum(s.loss * s.tokens for s in scores) / tokens,
        "bits_per_byte": sum(s.bits_per_byte * (s.bytes + 1) for s in scores) / sum(s.bytes + 1 for s in scores),
        "routes": routes,
    }


SCORE_BATCH_BYTES = 2**20
"""Bytes of documents scored at a time by :func:`score`: what its memory holds beyond the model."""


def score(
    store: Store, source: str | Path, *, version: int | str = "current", include: list[str] | None = None,
    stdin: bytes | None = None, batch_size: int | None = None, student: int | str | None = None,
    max_bytes: int = DEFAULT_SCORE_BYTES, on_batch: Callable[[int, int], None] = lambda docs, n_bytes: None,
) -> tuple[int, list[DocumentScore]]:
    """``peer score``: the version's number and a :class:`DocumentScore` per document of ``source`` (a path, a
    glob, JSONL or ``-``, cut into documents as the store cuts its corpora). With ``student`` (an id of
    ``peer students``), the student scores instead of the routed model, and the number is its teacher's;
    its one route is labelled ``student N``.

    The input is read one file at a time and scored in batches of about :data:`SCORE_BATCH_BYTES`, so memory
    stays bounded; more than ``max_bytes`` (after decompression) is refused as soon as a read passes it, and
    binary text as it is read. ``on_batch(documents, bytes)`` hears the running totals after each batch."""
    config = ContinualConfig.of_store(store.config)
    limits = ReadLimits(max_bytes=max_bytes, option="--max-bytes")
    corpus = Corpus([str(source)], include=include or ["*"], doc_bytes=config.doc_bytes, stdin=stdin, limits=limits)
    if student is not None:
        pupil = load_student(store, student)
        number, model, tokenizer = pupil.record.teacher, as_routed(pupil), pupil.tokenizer
    else:
        loaded = load_model(store, version)
        number, model, tokenizer = loaded.number, loaded.model, loaded.tokenizer
    scores: list[DocumentScore] = []
    done_bytes = 0
    for batch in _batches(corpus.documents(), SCORE_BATCH_BYTES):
        scores += score_documents(model, tokenizer, batch, seq_len=config.seq_len,
                                  batch_size=batch_size or config.batch_size)
        done_bytes += sum(len(d.data) for d in batch)
        on_batch(len(scores), done_bytes)
    if not scores:
        raise ConfigError(f"{source} holds no text to score; give it some text")
    return number, scores


def _batches(documents: Iterator[Document], n_bytes: int) -> Iterator[list[Document]]:
    """``documents`` in lists of about ``n_bytes`` (the last may be smaller)."""
    batch, size = [], 0
    for doc in documents:
        batch.append(doc)
        size += len(doc.data)
        if size >= n_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


@dataclass(frozen=True)
class SampledToken:
    """One generated token: its id, its bytes, its log-probability under the model (before temperature and
    truncation), the likeliest alternatives, and the route whose deltas and segments computed it."""

    id: int
    data: bytes
    logprob: float
    route: int
    """Index into :func:`route_labels` of the model: the route of the token the prediction was made at."""
    top: tuple[tuple[int, float], ...] = ()
    """``(id, logprob)`` of the ``top_logprobs`` likeliest tokens, likeliest first."""


def check_sampling(*, temperature: float, top_k: int | None, top_p: float = 1.0, seed: int = 0) -> None:
    """Refuse sampling options that cannot work, naming the option (``--temperature`` etc.)."""
    if not temperature >= 0 or not math.isfinite(temperature):
        raise ConfigError(f"--temperature must be a finite number, 0 (greedy) or above, got {temperature!r}")
    if top_k is not None and top_k < 1:
        raise ConfigError(f"--top-k must be a positive integer (0: every token), got {top_k!r}")
    if not 0 < top_p <= 1:
        raise ConfigError(f"--top-p must be above 0 and at most 1, got {top_p!r}")
    if not -(2**63) <= seed < 2**64:  # what torch.Generator.manual_seed takes
        raise ConfigError(f"--seed must be an integer from -2**63 to 2**64 - 1, got {seed}")


def _truncate(logits: torch.Tensor, top_k: int | None, top_p: float, temperature: float) -> torch.Tensor:
    """Probabilities ``[V]`` to draw from: the ``top_k`` likeliest, then the smallest set holding ``top_p`` of
    the mass, at ``temperature`` (0: all of it on the likeliest)."""
    if top_k is not None and top_k < logits.numel():
        cutoff = logits.topk(top_k).values[-1]
        logits = logits.masked_fill(logits < cutoff, float("-inf"))
    if temperature == 0:
        return torch.nn.functional.one_hot(logits.argmax(), logits.numel()).double()
    # the largest logit at 0 before dividing: a temperature near 0 gives -inf elsewhere (greedy), not nan
    probs = torch.softmax((logits - logits.max()) / temperature, -1)
    if top_p < 1:
        ordered, order = probs.sort(descending=True)
        outside = ordered.cumsum(-1) - ordered >= top_p  # every token after the mass reached top_p
        probs = probs.scatter(0, order[outside], 0.0)
        probs = probs / probs.sum()
    return probs


@torch.no_grad()
def sample_tokens(
    model: RoutedModel,
    tokenizer: Tokenizer,
    prompt: str | bytes,
    *,
    temperature: float = 0.8,
    top_k: int | None = 40,
    top_p: float = 1.0,
    seed: int = 0,
    top_logprobs: int = 0,
) -> Iterator[SampledToken]:
    """Tokens sampled after ``prompt`` one at a time, until the end-of-document token (not yielded); the caller
    stops when it has enough. Each step routes the window again (routing is causal, so earlier tokens keep
    their routes), and the token is drawn as :func:`sample` draws it."""
    check_sampling(temperature=temperature, top_k=top_k, top_p=top_p, seed=seed)
    window = model.config.max_seq_len
    ids = torch.from_numpy(tokenizer.encode(prompt if isinstance(prompt, bytes) else text_bytes(prompt))).long()
    if ids.numel() == 0:
        ids = torch.tensor([tokenizer.eos_id])  # an empty prompt starts a document
    gen = torch.Generator().manual_seed(seed)
    was_training = model.training
    model.eval()
    try:
        while True:
            x = ids[-window:][None]  # [1, S]
            route = model.route(x)  # [1, S]
            logits = model(x, route=route).logits[0, -1].double()  # [V]; float64 holds any temperature
            nxt = int(torch.multinomial(_truncate(logits, top_k, top_p, temperature), 1, generator=gen))
            if nxt == tokenizer.eos_id:
                return
            logprobs = torch.log_softmax(logits, -1)  # [V]
            top = logprobs.topk(top_logprobs) if top_logprobs else None
            yield SampledToken(nxt, tokenizer.decode([nxt]), float(logprobs[nxt]), int(route[0, -1]),
                               () if top is None else tuple(zip(top.indices.tolist(), top.values.tolist())))
            ids = torch.cat([ids, torch.tensor([nxt])])
    finally:
        model.train(was_training)


def sample(
    model: RoutedModel,
    tokenizer: Tokenizer,
    prompt: str | bytes,
    *,
    tokens: int = 200,
    temperature: float = 0.8,
    top_k: int | None = 40,
    seed: int = 0,
    check: Callable[[], None] = lambda: None,
) -> str:
    """``tokens`` tokens sampled after ``prompt`` (fewer if the model ends the document), as text. ``check()``
    runs every 16 tokens: what it raises stops the sampling."""
    if not isinstance(tokens, int) or tokens < 1:
        raise ConfigError(f"--tokens must be a positive integer, got {tokens!r}")
    drawn = sample_tokens(model, tokenizer, prompt, temperature=temperature, top_k=top_k, seed=seed)
    pieces = []
    for step, token in enumerate(itertools.islice(drawn, tokens)):
        if step % 16 == 0:
            check()
        pieces.append(token.data)
    return b"".join(pieces).decode("utf-8", errors="replace")


def text_bytes(text: str) -> bytes:
    """The bytes of ``text`` as a command line or a JSON string carries them: UTF-8, with the bytes of invalid
    UTF-8 that an argument decodes to lone surrogates given back as they were, and other lone surrogates (JSON
    ``\\ud800``) kept as their UTF-8 form (the byte tokenizer takes any bytes)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def generate(store: Store, prompt: str, *, version: int | str = "current", **options) -> str:
    """``peer generate``: :func:`sample` from a version of ``store`` (the current one by default)."""
    loaded = load_model(store, version)
    return sample(loaded.model, loaded.tokenizer, prompt, **options)


__all__ = [
    "DocumentScore", "SampledToken", "check_sampling", "generate", "load_model", "route_labels", "sample",
    "sample_tokens", "score", "score_documents", "score_total", "text_bytes",
]
