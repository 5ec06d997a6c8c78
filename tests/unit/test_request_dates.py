"""A date in a request body is written as text (YYYY-MM-DD), as the schema says: a bare number, which
pydantic's lax mode would read as a Unix time (`"since": 0` → 1970-01-01), is refused with a 422 — found
by the soak's schemathesis run on PUT /general-chief."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.api.schemas.chains import ChiefIn, StageMoveIn, TargetIn
from services.api.schemas.cultivation import CertificationIn, EnterprisePatch
from services.api.schemas.planning import TaskPatch

CASES = [
    (ChiefIn, {"user_id": "u1"}, "since"),
    (StageMoveIn, {"stage": "signed"}, "date"),
    (TargetIn, {"company_name": "某企业"}, "stage_date"),
    (CertificationIn, {"kind": "hnte"}, "issued_on"),
    (EnterprisePatch, {}, "listed_on"),
    (TaskPatch, {}, "start_date"),
]


@pytest.mark.parametrize(("model", "rest", "field"), CASES, ids=[c[0].__name__ for c in CASES])
@pytest.mark.parametrize("number", [0, 1700000000, 20240101, 1.5])
def test_a_number_for_a_date_is_refused(model, rest, field, number):
    with pytest.raises(ValidationError) as refused:
        model.model_validate(rest | {field: number})
    assert [(e["loc"], e["type"]) for e in refused.value.errors()] == [((field,), "date_type")]


@pytest.mark.parametrize(("model", "rest", "field"), CASES, ids=[c[0].__name__ for c in CASES])
def test_a_date_written_as_text_is_taken(model, rest, field):
    assert getattr(model.model_validate(rest | {field: "2024-01-02"}), field) == date(2024, 1, 2)
