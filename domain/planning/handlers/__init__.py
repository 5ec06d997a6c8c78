"""Handlers of the planning context: load through `uow`, call the domain, commit."""
