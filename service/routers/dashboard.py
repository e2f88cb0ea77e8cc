"""The dashboard at ``/``: one static page (inline script and style, no build step, nothing fetched from
elsewhere) that reads this server's JSON API: the versions as a timeline, the forgetting matrix as a heatmap
and per-corpus loss curves, ingest jobs with live progress (``/v1/jobs/{id}/events``), and a box that scores
or continues a text, colouring each token by the route that computed it. The page itself is open; with
``--auth-reads`` it asks for the token and sends it with each read."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["service"])


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard() -> HTMLResponse:
    page = resources.files("service").joinpath("static/dashboard.html").read_text(encoding="utf-8")
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})
