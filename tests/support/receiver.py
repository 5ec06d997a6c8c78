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
    afterwards every request gets 200.

    While `holding` is set, a request is recorded and then left unanswered until `release()` (a receiver
    that hangs, to cut a delivery in the middle).
    """

    def __init__(self, port: int | None = None, answers: list | None = None) -> None:
        self.port = port or free_port()
        self.answers = deque(answers or [])
        self.received: list[dict] = []
        self.holding = False
        self._released = asyncio.Event()
        self._arrived = asyncio.Condition()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _hook(self, request: Request) -> Response:
        body = await request.body()
        self.received.append({"headers": dict(request.headers), "body": body})
        async with self._arrived:
            self._arrived.notify_all()
        if self.holding:
            await self._released.wait()
        answer = self.answers.popleft() if self.answers else 200
        status, headers, content = (*answer, b"")[:3] if isinstance(answer, tuple) else (answer, {}, b"")
        return Response(content=content, status_code=status, headers=headers)

    def release(self) -> None:
        self.holding = False
        self._released.set()

    async def wait_for(self, count: int = 1, *, within: float = 20.0) -> list[dict]:
        """Wait until at least `count` requests arrived; fail the test if they do not in time."""

        async def enough() -> None:
            async with self._arrived:
                await self._arrived.wait_for(lambda: len(self.received) >= count)

        try:
            await asyncio.wait_for(enough(), timeout=within)
        except TimeoutError:
            raise AssertionError(f"{len(self.received)} of {count} webhook requests in {within} s") from None
        return self.received

    async def start(self) -> None:
        app = Starlette(routes=[Route("/hook", self._hook, methods=["POST"])])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self._server is not None:
            self.release()
            self._server.should_exit = True
            await self._task
            self._server = None

    async def __aenter__(self) -> Receiver:
        await self.start()
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.stop()
