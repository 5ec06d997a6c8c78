"""The webhook use cases through the unit of work in memory: what is stored and committed, what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.integration.deliveries import Delivery, DeliveryStatus
from domain.integration.handlers import webhooks
from domain.integration.webhooks import Webhook
from domain.shared.errors import Conflict, InvalidValue, NotFound
from tests.unit.fakes import FakeUnitOfWork

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
URL = "https://park-brain.example.com/hooks"
SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # 24 bytes, base64


class Targets:
    """The address check: every url it was asked about; refuses the hosts in `refused`."""

    def __init__(self, *refused: str) -> None:
        self.refused = refused
        self.checked: list[str] = []

    async def check(self, url: str) -> None:
        self.checked.append(url)
        if any(host in url for host in self.refused):
            raise InvalidValue("a private address", "内网地址", field="url")


class Expected:
    """An If-Match as the edge hands it to a handler: what it was called with; refuses when told to."""

    def __init__(self, *, refuse: bool = False) -> None:
        self.refuse = refuse
        self.seen: list[object] = []

    def __call__(self, current: object) -> None:
        self.seen.append(current)
        if self.refuse:
            raise Conflict("stale", "已过期")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(actor="admin")


def stored(uow: FakeUnitOfWork, **overrides) -> Webhook:
    webhook = Webhook(url=URL, secret=SECRET, created_at=NOW - timedelta(days=1), **overrides)
    uow.webhooks.items[webhook.id] = webhook
    return webhook


async def test_registering_stores_the_endpoint_with_a_new_secret_from_now_on(uow):
    uow.events.commit_event("task.created")
    targets = Targets()
    webhook = await webhooks.create_webhook(
        {"url": f" {URL} ", "event_types": ["task.created"]}, uow=uow, now=NOW, targets=targets
    )
    assert uow.webhooks.items == {webhook.id: webhook} and uow.commits == 1
    assert webhook.url == URL and webhook.event_types == ["task.created"] and webhook.created_at == NOW
    assert webhook.secret.startswith("whsec_") and webhook.active
    assert targets.checked == [URL]
    assert webhook.start_row == 1  # the event committed before it is not its own
    assert uow.deliveries.items == {}  # no `since`: nothing replayed


async def test_registering_with_since_replays_the_wanted_events_committed_before_it(uow):
    first = uow.events.commit_event("task.created")
    uow.events.commit_event("indicator.observed")
    third = uow.events.commit_event("task.created")
    webhook = await webhooks.create_webhook(
        {"url": URL, "event_types": ["task.created"], "secret": SECRET},
        uow=uow,
        now=NOW,
        targets=Targets(),
        since=(-1, 0),
    )
    replayed = sorted(uow.deliveries.items.values(), key=lambda d: d.event_id)
    assert {d.event_id for d in replayed} == {first.event_id, third.event_id}
    assert all(d.webhook_id == webhook.id and d.next_attempt_at == NOW for d in replayed)
    assert all(d.status is DeliveryStatus.PENDING and d.attempts == 0 for d in replayed)
    assert webhook.secret == SECRET and uow.commits == 1


async def test_a_refused_address_or_a_bad_body_stores_nothing(uow):
    with pytest.raises(InvalidValue) as refused:
        await webhooks.create_webhook(
            {"url": "https://10.0.0.1/x"}, uow=uow, now=NOW, targets=Targets("10.0")
        )
    assert refused.value.field == "url"
    with pytest.raises(InvalidValue) as unknown:
        await webhooks.create_webhook(
            {"url": URL, "event_types": ["task.exploded"]}, uow=uow, now=NOW, targets=Targets()
        )
    assert unknown.value.field == "event_types"
    assert uow.webhooks.items == {} and uow.commits == 0


async def test_an_unknown_webhook_is_404(uow):
    with pytest.raises(NotFound):
        await webhooks.get_webhook("nope", uow=uow)


async def test_changing_checks_the_expectation_against_the_stored_endpoint_then_the_new_url(uow):
    webhook = stored(uow)
    targets, expected = Targets(), Expected()
    changed = await webhooks.update_webhook(
        webhook.id,
        {"url": "https://other.example.com/in", "event_types": ["indicator.observed", "indicator.observed"]},
        uow=uow,
        targets=targets,
        expected=expected,
    )
    assert expected.seen == [webhook] and changed is webhook
    assert webhook.url == "https://other.example.com/in" and webhook.event_types == ["indicator.observed"]
    assert targets.checked == ["https://other.example.com/in"] and uow.commits == 1


async def test_a_disabled_endpoint_is_enabled_again_and_disabling_says_by_whom(uow):
    webhook = stored(uow, active=False, disabled_reason="410 Gone")
    await webhooks.update_webhook(webhook.id, {"active": True}, uow=uow, targets=Targets())
    assert webhook.active and webhook.disabled_reason is None
    await webhooks.update_webhook(webhook.id, {"active": False}, uow=uow, targets=Targets())
    assert not webhook.active and webhook.disabled_reason == "disabled by an admin"
    assert uow.commits == 2


async def test_a_change_refused_by_the_expectation_or_the_address_changes_nothing(uow):
    webhook = stored(uow)
    with pytest.raises(Conflict):
        await webhooks.update_webhook(
            webhook.id, {"active": False}, uow=uow, targets=Targets(), expected=Expected(refuse=True)
        )
    with pytest.raises(InvalidValue):
        await webhooks.update_webhook(
            webhook.id, {"url": "https://10.1.1.1/x"}, uow=uow, targets=Targets("10.1")
        )
    assert webhook.active and webhook.url == URL and uow.commits == 0


async def test_a_change_or_removal_of_an_unknown_endpoint_is_404_before_any_expectation(uow):
    expected = Expected(refuse=True)
    with pytest.raises(NotFound):
        await webhooks.update_webhook(
            "nope", {"active": False}, uow=uow, targets=Targets(), expected=expected
        )
    with pytest.raises(NotFound):
        await webhooks.delete_webhook("nope", uow=uow, expected=expected)
    assert expected.seen == [] and uow.commits == 0


async def test_removing_takes_the_endpoint_away_once_expected(uow):
    webhook, other = stored(uow), stored(uow)
    with pytest.raises(Conflict):
        await webhooks.delete_webhook(webhook.id, uow=uow, expected=Expected(refuse=True))
    assert webhook.id in uow.webhooks.items and uow.commits == 0
    expected = Expected()
    await webhooks.delete_webhook(webhook.id, uow=uow, expected=expected)
    assert expected.seen == [webhook] and list(uow.webhooks.items) == [other.id] and uow.commits == 1


async def test_the_listing_and_the_delivery_log_page_in_id_order(uow):
    hooks = sorted((stored(uow) for _ in range(3)), key=lambda w: w.id)
    page = await webhooks.list_webhooks(after=None, limit=2, uow=uow)
    assert page == hooks  # limit + 1: another page follows
    assert await webhooks.list_webhooks(after=hooks[1].id, limit=2, uow=uow) == hooks[2:]
    mine = [failed(uow, hooks[0]) for _ in range(2)]
    failed(uow, hooks[1])
    log = await webhooks.webhook_deliveries(hooks[0].id, after=None, limit=10, uow=uow)
    assert log == sorted(mine, key=lambda d: d.id)
    with pytest.raises(NotFound):
        await webhooks.webhook_deliveries("nope", after=None, limit=10, uow=uow)


def failed(uow: FakeUnitOfWork, webhook: Webhook) -> Delivery:
    delivery = Delivery(
        webhook_id=webhook.id,
        event_id="e1",
        event_type="task.created",
        status=DeliveryStatus.FAILED,
        attempts=7,
        next_attempt_at=NOW - timedelta(hours=1),
    )
    uow.deliveries.items[delivery.id] = delivery
    return delivery


async def test_an_admin_redelivers_a_failed_delivery_now(uow):
    webhook = stored(uow)
    delivery = failed(uow, webhook)
    retried = await webhooks.retry_delivery(webhook.id, delivery.id, uow=uow, now=NOW)
    assert retried is delivery and delivery.status is DeliveryStatus.PENDING
    assert delivery.attempts == 0 and delivery.next_attempt_at == NOW and uow.commits == 1


async def test_only_a_failed_delivery_of_that_webhook_is_redelivered(uow):
    webhook, other = stored(uow), stored(uow)
    delivery = failed(uow, webhook)
    with pytest.raises(NotFound):
        await webhooks.retry_delivery(other.id, delivery.id, uow=uow, now=NOW)
    with pytest.raises(NotFound):
        await webhooks.retry_delivery(webhook.id, "nope", uow=uow, now=NOW)
    delivery.status = DeliveryStatus.SUCCEEDED
    with pytest.raises(Conflict):
        await webhooks.retry_delivery(webhook.id, delivery.id, uow=uow, now=NOW)
    assert uow.commits == 0
