"""Use cases of integration: webhooks and their deliveries, ledger imports, ledger and evaluation exports."""
