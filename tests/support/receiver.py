"""A real HTTP receiver on loopback for webhook tests: records what arrives, answers as scripted."""

from __future__ import annotations

import asyncio
import socket
from collections import deque

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver:
    """`answers` are the statuses (or (status, headers), or (status, headers, body)) to give first;
    afterwards every request gets 200."""

    def __init__(self, port: int | None = None, answers: list | None = None) -> None:
        self.port = port or free_port()
        self.answers = deque(answers or [])
        self.received: list[dict] = []
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _hook(self, request: Request) -> Response:
        body = await request.body()
        self.received.append({"headers": dict(request.headers), "body": body})
        answer = self.answers.popleft() if self.answers else 200
        status, headers, content = (*answer, b"")[:3] if isinstance(answer, tuple) else (answer, {}, b"")
        return Response(content=content, status_code=status, headers=headers)

    async def start(self) -> None:
        app = Starlette(routes=[Route("/hook", self._hook, methods=["POST"])])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            await self._task
            self._server = None

    async def __aenter__(self) -> Receiver:
        await self.start()
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.stop()
