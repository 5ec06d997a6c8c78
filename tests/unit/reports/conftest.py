"""The report rendered once a session: the seeded plan's final evaluation and the 5,000-task benchmark's."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from infrastructure.reports.document import evaluation_document
from tests.support.evaluation_bodies import seeded_final
from tools.bench.report import stress_body

# Not a date the bodies hold: the one number a document may print that its body does not.
GENERATED_ON = date(2027, 3, 9)


@pytest.fixture(scope="session")
def seeded() -> dict[str, Any]:
    return seeded_final()


@pytest.fixture(scope="session")
def seeded_docx(seeded) -> bytes:
    return evaluation_document(seeded, generated_on=GENERATED_ON)


@pytest.fixture(scope="session")
def stress() -> dict[str, Any]:
    return stress_body()


@pytest.fixture(scope="session")
def stress_docx(stress) -> bytes:
    return evaluation_document(stress, generated_on=GENERATED_ON)
