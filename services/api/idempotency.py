"""The Idempotency-Key middleware: same key and body → the first response again; nothing done twice."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infrastructure import idempotency
from services.api.problems import problem_response
from services.api.security import refusal_before_routing

MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("content-type", "etag", "location", "cache-control")
EXEMPT_PREFIXES = ("/api/v1/auth/",)


class IdempotencyMiddleware:
    """Applies to every POST under /api/v1 that carries an Idempotency-Key, scoped to the caller."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The lifespan (and any other non-HTTP scope) passes untouched: a Request cannot be built from it,
        # and under uvicorn the relay and the engine's disposal hang on that lifespan.
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        key = request.headers.get("idempotency-key")
        path = scope.get("path", "")
        if key is None or not path.startswith("/api/v1/") or path.startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        if not key or len(key) > MAX_KEY_LENGTH:
            await problem_response(
                request,
                "bad-request",
                "Idempotency-Key must be 1–255 characters.",
                "Idempotency-Key 须为1至255个字符。",
            )(scope, receive, send)
            return
        caller = await self._caller(request)
        if caller is None:  # no valid token: the request will be refused with 401 anyway
            await self.app(scope, receive, send)
            return
        if not isinstance(caller, str):  # refused as a first request would be: never a stored response
            await caller(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        factory = request.app.state.session_factory
        target = path + ("?" + scope["query_string"].decode() if scope.get("query_string") else "")
        hashed = idempotency.request_hash("POST", target, request.headers.get("content-type", ""), body)
        claim = await idempotency.claim(factory, caller, key, hashed)
        if claim.replay is not None:
            await self._replay(claim.replay, send)
            return
        if claim.refusal == "other-body":
            await problem_response(
                request,
                "validation-error",
                "This Idempotency-Key was used with another request body.",
                "该 Idempotency-Key 已用于不同的请求体。",
                errors=[{"loc": ["header", "Idempotency-Key"], "msg": "reused"}],
            )(scope, receive, send)
            return
        if claim.refusal == "in-flight":
            await problem_response(
                request,
                "conflict",
                "A request with this Idempotency-Key is still being processed.",
                "使用该 Idempotency-Key 的请求仍在处理中。",
                rule="idempotency-in-flight",
                headers={"Retry-After": "1"},
            )(scope, receive, send)
            return
        await self._run(scope, body, send, factory, claim.row_id)

    async def _caller(self, request: Request) -> str | Response | None:
        """Whom the key belongs to; or, when the token's session, user or client is no longer live or the
        route's permission refuses the caller, the 401 or 403 a first request gets. A replay passes the same
        authentication and permission as the request it repeats: a revoked or demoted admin never receives
        the stored answer (a client's secret, say)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        claims = request.app.state.token_signer.read_access_token(token.strip())
        if claims is None:
            return None
        return await refusal_before_routing(request, claims) or f"{claims.kind}:{claims.subject}"

    async def _run(self, scope: Scope, body: bytes, send: Send, factory, row_id: str) -> None:
        sent = False

        async def replay_body() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        captured: dict = {"status": 500, "headers": {}, "body": b""}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = {
                    k.decode().lower(): v.decode()
                    for k, v in message.get("headers", [])
                    if k.decode().lower() in REPLAYED_HEADERS
                }
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
                if not message.get("more_body", False):
                    captured["last"] = message  # sent once the answer is stored, see below
                    return
            await send(message)

        token = idempotency.current_key.set(row_id)
        try:
            await self.app(scope, replay_body, capture)
        except BaseException:
            await idempotency.forget(factory, row_id)
            raise
        finally:
            idempotency.current_key.reset(token)
        # The answer's end reaches the client only after it is stored: a client retrying the moment it has
        # the whole answer gets it replayed, not 409 "still being processed" (seen under load end to end).
        try:
            await idempotency.finish(
                factory, row_id, captured["status"], captured["headers"], captured["body"]
            )
        finally:
            if "last" in captured:
                await send(captured["last"])

    async def _replay(self, stored: tuple[int, dict, bytes], send: Send) -> None:
        status, headers, body = stored
        raw = [(k.encode(), v.encode()) for k, v in headers.items()]
        raw.append((b"idempotent-replayed", b"true"))
        raw.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})
