"""Language of problem texts: Chinese by default (the zone's staff), English on `Accept-Language: en`."""

from __future__ import annotations

from starlette.requests import HTTPConnection


def language(request: HTTPConnection) -> str:
    """Return "en" when the caller prefers English over Chinese, else "zh"."""
    header = request.headers.get("accept-language", "")
    best, best_q = "zh", 0.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("en", "zh") and q > best_q:
            best, best_q = primary, q
    return best
