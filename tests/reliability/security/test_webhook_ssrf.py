"""Finding 3: webhooks cannot be aimed inside (SSRF). A url whose host resolves to a loopback, link-local,
private, unspecified, multicast or otherwise non-public address is refused with a 422 — at registration
and again at every delivery, with the address actually connected to — unless the address lies in
GAOXIN_WEBHOOK_ALLOWED_NETWORKS; development also allows loopback. Redirects are not followed, and a failed
delivery records its status and a short reason, never the receiver's body."""

from __future__ import annotations

import httpx
import pytest

from domain.shared.events import DomainEvent
from infrastructure.outbox.relay import Relay
from infrastructure.outbox.targets import WebhookTargets
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.api.app import create_app
from tests.conftest import make_settings
from tests.support.lifespan import running
from tests.support.receiver import Receiver

INSIDE = [
    "http://127.0.0.1/hook",
    "http://localhost:8000/hook",
    "http://[::1]/hook",
    "http://10.0.0.1/hook",
    "http://0x7f000001/hook",  # 127.0.0.1 in the hexadecimal form resolvers accept
    "http://2130706433/hook",  # … and as one decimal number
    "http://169.254.169.254/latest/meta-data/",
    "http://metadata.google.internal/computeMetadata/v1/",  # does not resolve here: 422 all the same
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fd00::1]/hook",
    "http://[2002:7f00:1::]/hook",  # 6to4 wrapping 127.0.0.1
    "http://100.64.0.1/hook",  # shared address space (carrier NAT)
    "http://192.168.1.10/hook",
    "http://172.16.0.1/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://does-not-exist.invalid/hook",
]


async def _hooks(app, headers, url: str, method: str = "post", **kwargs) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return await http.request(
            method, "/api/v1/webhooks" + kwargs.pop("path", ""), json={"url": url}, headers=headers, **kwargs
        )


@pytest.mark.parametrize("environment", ["production", "test"])
async def test_urls_leading_inside_are_refused_at_registration(database_url, admin, environment):
    served = create_app(make_settings(database_url, environment=environment))
    async with running(served):
        for url in INSIDE:
            response = await _hooks(served, admin, url)
            assert response.status_code == 422, (url, response.text)
            assert response.json()["errors"][0]["loc"] == ["body", "url"], url
        assert (await _hooks(served, admin, "http://8.8.8.8/hook")).status_code == 201  # public: fine


async def test_the_allow_list_opens_its_networks_only(database_url, admin):
    served = create_app(
        make_settings(database_url, environment="production", webhook_allowed_networks="10.20.0.0/16")
    )
    async with running(served):
        assert (await _hooks(served, admin, "http://10.20.3.4/hook")).status_code == 201
        assert (await _hooks(served, admin, "http://10.21.0.1/hook")).status_code == 422  # just outside
        assert (await _hooks(served, admin, "http://127.0.0.1/hook")).status_code == 422


async def test_development_allows_loopback_and_nothing_else_inside(database_url, admin):
    served = create_app(make_settings(database_url, environment="development"))
    async with running(served):
        assert (await _hooks(served, admin, "http://127.0.0.1:9/hook")).status_code == 201
        assert (await _hooks(served, admin, "http://localhost:9/hook")).status_code == 201
        assert (await _hooks(served, admin, "http://10.0.0.1/hook")).status_code == 422
        assert (await _hooks(served, admin, "http://169.254.169.254/")).status_code == 422


async def test_changing_the_url_is_checked_too(app, client, admin):
    created = await client.post("/api/v1/webhooks", json={"url": "http://8.8.8.8/hook"}, headers=admin)
    hook = created.json()
    etag = created.headers["etag"]
    moved = await client.patch(
        f"/api/v1/webhooks/{hook['id']}",
        json={"url": "http://169.254.169.254/"},
        headers=admin | {"If-Match": etag},
    )
    assert moved.status_code == 422
    assert (await client.get(f"/api/v1/webhooks/{hook['id']}", headers=admin)).json()[
        "url"
    ] == "http://8.8.8.8/hook"


async def _event(app) -> None:
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        uow.record(DomainEvent(type="task.urged", subject_type="task", subject_id="t1", data={"n": 1}))
        await uow.commit()


async def _deliver(app, targets: WebhookTargets) -> None:
    async with httpx.AsyncClient(timeout=2.0) as http:
        relay = Relay(app.state.session_factory, backoff=[0.0, 0.0], http=http, targets=targets)
        for _ in range(5):
            if not (await relay.fan_out() + await relay.deliver_due()):
                break


async def _deliveries(client, admin, hook_id: str) -> list[dict]:
    return (await client.get(f"/api/v1/webhooks/{hook_id}/deliveries", headers=admin)).json()["items"]


async def test_the_check_runs_again_at_delivery(database_url, app, client, admin):
    """Registered while the allow-list held loopback; the list changed since: nothing is sent."""
    opened = create_app(make_settings(database_url, webhook_allowed_networks="127.0.0.0/8"))
    async with Receiver() as receiver, running(opened):
        hook = (await _hooks(opened, admin, receiver.url)).json()
        await _event(app)
        await _deliver(app, app.state.webhook_targets)  # the service as configured now: no allow-list
    assert receiver.received == []
    delivery = (await _deliveries(client, admin, hook["id"]))[0]
    assert delivery["status"] == "failed" and delivery["last_status_code"] is None
    assert delivery["last_error"].startswith("refused") and "loopback" in delivery["last_error"]


async def test_a_delivery_connects_to_the_address_it_checked_with_the_urls_host(database_url, client, admin):
    """DNS rebinding: the name answers a checked address first and another one afterwards; the request
    goes to the first (one lookup a delivery), and carries the url's own Host."""
    async with Receiver() as receiver:
        lookups: list[str] = []

        async def rebinding(host: str, port: int) -> list[str]:
            lookups.append(host)
            return ["127.0.0.1"] if len(lookups) <= 2 else ["10.9.9.9"]  # a third lookup would be refused

        policy = WebhookTargets.from_settings(
            make_settings(database_url, webhook_allowed_networks="127.0.0.0/8")
        )
        targets = WebhookTargets(policy.policy, resolver=rebinding)
        served = create_app(make_settings(database_url, webhook_allowed_networks="127.0.0.0/8"))
        served.state.webhook_targets = targets
        async with running(served):
            url = f"http://hooks.example.test:{receiver.port}/hook"
            hook = (await _hooks(served, admin, url)).json()
            await _event(served)
            await _deliver(served, targets)
    assert lookups == ["hooks.example.test", "hooks.example.test"]  # one at registration, one at delivery
    assert len(receiver.received) == 1
    assert receiver.received[0]["headers"]["host"] == f"hooks.example.test:{receiver.port}"
    assert (await _deliveries(client, admin, hook["id"]))[0]["status"] == "succeeded"


async def test_redirects_are_not_followed_and_bodies_are_not_recorded(database_url, client, admin):
    allowed = make_settings(database_url, webhook_allowed_networks="127.0.0.0/8")
    served = create_app(allowed)
    secret_page = b"root:x:0:0:root:/root:/bin/bash INTERNAL"
    answers = [(302, {"location": "http://169.254.169.254/latest/meta-data/"}), *[(500, {}, secret_page)] * 2]
    async with Receiver(answers=answers) as receiver, running(served):
        hook = (await _hooks(served, admin, receiver.url)).json()
        await _event(served)
        await _deliver(served, served.state.webhook_targets)
    assert len(receiver.received) == 3  # the first try and two retries, each to the receiver itself
    delivery = (await _deliveries(client, admin, hook["id"]))[0]
    assert delivery["last_status_code"] == 500 and delivery["status"] == "failed"
    assert delivery["last_error"] == "HTTP 500 Internal Server Error"
    assert "INTERNAL" not in str(delivery) and "root" not in str(delivery)
