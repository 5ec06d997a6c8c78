"""The NATS JetStream sink: every event on `gaoxin.events.<type>`, deduplicated by event id."""

from __future__ import annotations

import json
from typing import Any

import nats
from nats.js.api import StreamConfig
from nats.js.errors import BadRequestError

STREAM = "GAOXIN_EVENTS"
SUBJECT_PREFIX = "gaoxin.events"


def subject_for(event_type: str) -> str:
    return f"{SUBJECT_PREFIX}.{event_type}"


class NatsSink:
    """Publish with JetStream acknowledgement; `Nats-Msg-Id` lets the stream drop a relay's redelivery."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._nc = None
        self._js = None

    async def connect(self) -> None:
        self._nc = await nats.connect(self.url, connect_timeout=5, max_reconnect_attempts=-1)
        self._js = self._nc.jetstream()
        config = StreamConfig(name=STREAM, subjects=[f"{SUBJECT_PREFIX}.>"], duplicate_window=24 * 3600)
        try:
            await self._js.add_stream(config)
        except BadRequestError:
            await self._js.update_stream(config)

    async def publish(self, message: dict[str, Any]) -> None:
        if self._js is None:
            await self.connect()
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
        await self._js.publish(subject_for(message["type"]), body, headers={"Nats-Msg-Id": message["id"]})

    async def close(self) -> None:
        if self._nc is not None:
            await self._nc.drain()
            self._nc = self._js = None
