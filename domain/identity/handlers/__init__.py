"""Use cases of identity and access: (command, uow, ports) → result; the only place that commits."""
