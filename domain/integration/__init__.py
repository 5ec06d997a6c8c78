"""Integration (对外集成): the event catalogue, webhooks and their deliveries, idempotent requests."""
