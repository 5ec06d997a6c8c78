"""The outbox's readers: the event feed, the relay's claims, the webhook and NATS sinks."""
