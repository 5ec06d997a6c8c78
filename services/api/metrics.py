"""Prometheus metrics: request counts and latencies by route template (never by raw path), and the
relay's state as the database holds it (the same on every worker)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from infrastructure.outbox import monitor

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "gaoxin_http_requests_total", "HTTP requests answered", ["method", "route", "status"], registry=REGISTRY
)
LATENCY = Histogram(
    "gaoxin_http_request_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTCOMES = ("delivered", "rejected", "unreachable")


# The labelled series of each (method, route, status) seen: `labels()` takes a lock and builds its key on
# every call. Bounded by the routes (templates, never raw paths) times methods and statuses.
_SERIES: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    series = _SERIES.get((method, route, status))
    if series is None:
        series = _SERIES[method, route, status] = (
            REQUESTS.labels(method, route, str(status)),
            LATENCY.labels(method, route),
        )
    count, latency = series
    count.inc()
    latency.observe(seconds)


class _RelayState:
    """A one-scrape collector over the figures read from the database (None: the database did not answer)."""

    def __init__(self, figures: monitor.RelayFigures | None) -> None:
        self.figures = figures

    def collect(self):
        up = GaugeMetricFamily(
            "gaoxin_relay_state_up", "1 when the relay's state could be read from the database"
        )
        up.add_metric([], 0 if self.figures is None else 1)
        yield up
        if self.figures is None:
            return
        f = self.figures
        yield GaugeMetricFamily("gaoxin_outbox_waiting_events", "Events not yet relayed", value=f.waiting)
        yield GaugeMetricFamily(
            "gaoxin_outbox_oldest_waiting_seconds",
            "Age of the oldest event not yet relayed (0 when none waits)",
            value=f.oldest_waiting_seconds,
        )
        deliveries = GaugeMetricFamily(
            "gaoxin_webhook_deliveries",
            "Deliveries still pending, or failed for good",
            labels=["webhook_id", "status"],
        )
        for (hook, status), n in sorted(f.deliveries.items()):
            deliveries.add_metric([hook, status], n)
        yield deliveries
        attempts = CounterMetricFamily(
            "gaoxin_webhook_delivery_attempts", "Webhook delivery attempts by outcome", labels=["outcome"]
        )
        for outcome in OUTCOMES:
            attempts.add_metric([outcome], f.counters.get(f"attempts.{outcome}", 0))
        yield attempts
        yield CounterMetricFamily(
            "gaoxin_nats_publish_failures",
            "Failed publications to NATS",
            value=f.counters.get(monitor.NATS_FAILURES, 0),
        )
        yield GaugeMetricFamily(
            "gaoxin_sweep_last_run_timestamp_seconds",
            "When the daily sweep last ran (Unix time; 0 before the first sweep)",
            value=f.counters.get(monitor.LAST_SWEEP, 0),
        )


def render(figures: monitor.RelayFigures | None) -> tuple[bytes, str]:
    relay = CollectorRegistry()
    relay.register(_RelayState(figures))
    return generate_latest(REGISTRY) + generate_latest(relay), CONTENT_TYPE_LATEST
