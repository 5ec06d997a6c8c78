"""Repositories: load and add aggregates; they never commit (only handlers do, through the unit of work)."""
