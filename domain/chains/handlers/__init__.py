"""Use cases of industry chains: (command, uow, principal, today) → result; the only place that commits."""
