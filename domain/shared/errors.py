"""Domain errors: every refusal the rules can give, each with a stable rule slug.

Messages come in Chinese (the zone's staff read them) and English; the API's
error table maps each class to an HTTP status and an RFC 9457 problem type.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request."""

    rule = "domain-error"

    def __init__(self, en: str, zh: str | None = None, *, field: str | None = None) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh or en
        self.field = field

    def message(self, language: str = "zh") -> str:
        return self.en if language == "en" else self.zh


class InvalidValue(DomainError):
    """A value breaks a rule of its own (422); `field` names it where known."""

    rule = "validation-error"


class NotFound(DomainError):
    """The thing asked for does not exist (404)."""

    rule = "not-found"


class Forbidden(DomainError):
    """The actor may not do this (403)."""

    rule = "forbidden"


class Conflict(DomainError):
    """The request contradicts the current state (409)."""

    rule = "conflict"


class IllegalTransition(Conflict):
    """A status machine refuses the move."""

    rule = "illegal-transition"


class NotDeletable(Conflict):
    """The thing is still referenced and cannot be deleted."""

    rule = "not-deletable"


class Duplicate(Conflict):
    """A unique fact would exist twice."""

    rule = "duplicate"


class ChiefOverlap(Conflict):
    """A chief assignment would start before the current one."""

    rule = "chief-overlap"


class TooLarge(DomainError):
    """A file or batch is over its size limit (413)."""

    rule = "payload-too-large"
