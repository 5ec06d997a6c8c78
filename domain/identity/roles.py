"""Roles of people and scopes of city-system clients (DOMAIN.md, "Who may do what")."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A person's role; a user may hold several."""

    ADMIN = "admin"
    PLANNER = "planner"
    DEPARTMENT = "department"
    CHAIN_CHIEF = "chain_chief"
    GENERAL_CHIEF = "general_chief"
    OFFICER = "officer"
    AUDITOR = "auditor"
    VIEWER = "viewer"


class Scope(StrEnum):
    """What a city-system client (对接系统) may do."""

    READ = "read"
    READ_SENSITIVE = "read:sensitive"
    WRITE_PLANNING = "write:planning"
    WRITE_CULTIVATION = "write:cultivation"
    WRITE_CHAINS = "write:chains"
    ADMIN = "admin"
