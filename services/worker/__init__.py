"""Background work: the event relay (webhooks, NATS) and the daily sweep."""
