"""The image's command, run as the Dockerfile says: production settings, webhooks delivered, a clean stop."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import create_task, signed_in
from tests.e2e.served import SECRET, Served, served_env
from tests.support.receiver import Receiver, free_port

DOCKERFILE = Path(__file__).resolve().parents[2] / "Dockerfile"


def _instruction(name: str, text: str) -> str:
    """The last stage's instruction `name`, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line for line in joined.splitlines() if line.startswith(f"{name} ")][-1][len(name) + 1 :]


def image_command(port: int) -> tuple[list[str], dict[str, str], list[str]]:
    """ENTRYPOINT + CMD, the runtime stage's ENV, and the HEALTHCHECK command, on `port` instead of 8000."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    command = json.loads(_instruction("ENTRYPOINT", text)) + json.loads(_instruction("CMD", text))
    env = dict(re.findall(r"(\w+)=(\S+)", _instruction("ENV", text)))
    health = json.loads(_instruction("HEALTHCHECK", text).split("CMD ", 1)[1])
    swap = {"8000": str(port)}
    return [swap.get(a, a) for a in command], env, [a.replace(":8000/", f":{port}/") for a in health]


async def test_the_images_command_serves_in_production_and_delivers_webhooks(tmp_path, database_url):
    port = free_port()
    command, image_env, health = image_command(port)
    assert command[:2] == ["gaoxin", "serve"] and health[0] == "python"
    assert image_env["GAOXIN_ENVIRONMENT"] == "production"
    # What an operator adds to the image: a real key, the admin's password, the database, the allow-list
    # for a receiver on this host (production refuses non-public webhook addresses otherwise).
    env = served_env(database_url) | {k: v for k, v in image_env.items() if k != "GAOXIN_DATABASE_URL"}
    env |= {"GAOXIN_SECRET_KEY": SECRET + "-production", "GAOXIN_WEBHOOK_BACKOFF": "1,1,1"}
    async with Receiver() as receiver:
        served = Served(command[1:], env, tmp_path / "serve.log", port=port)
        async with served:
            probe = subprocess.run([sys.executable, *health[1:]], timeout=10)
            assert probe.returncode == 0  # the image's HEALTHCHECK passes
            async with signed_in(served) as http:
                hook = await http.post(
                    "/api/v1/webhooks", json={"url": receiver.url, "event_types": ["task.created"]}
                )
                assert hook.status_code == 201, hook.text
                await create_task(http, "生产模式下的任务")
                await receiver.wait_for(1)
            code = await served.stop()
    assert code == 0, served.output()
