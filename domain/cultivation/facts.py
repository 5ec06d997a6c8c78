"""名录快照: light, read-only views of enterprises and certifications for rules run over the whole registry.

Screening, the tier pyramid and the live indicators read tens of thousands of records; building full
entities (with their validation) for each would cost more than the rules themselves. These views carry
the fields the rules read and borrow the entities' own methods, so the rules are the same code, not a copy.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus


class EnterpriseFacts(NamedTuple):
    """企业快照: what the registry-wide rules read of an enterprise."""

    id: str
    name: str
    status: EnterpriseStatus
    registered_on: date | None
    listed: bool | None
    listed_on: date | None

    is_listed_on = Enterprise.is_listed_on


class CertificationFacts(NamedTuple):
    """认定快照: what the registry-wide rules read of a certification."""

    id: str
    enterprise_id: str
    kind: CertificationKind
    number: str | None
    issued_on: date
    expires_on: date | None
    revoked: bool
    revoked_on: date | None

    valid_on = Certification.valid_on
    ends = Certification.ends
    label = Certification.label
