"""One import's time limit at its boundary, on a clock the test moves."""

from __future__ import annotations

import pytest

from domain.integration.ledgers.limits import Deadline, unpacks_too_large
from domain.shared.errors import InvalidValue, TooLarge


def test_the_deadline_holds_up_to_its_second_and_not_past_it():
    now = [100.0]
    deadline = Deadline(30, clock=lambda: now[0])
    now[0] = 129.999
    deadline.check()  # just under
    now[0] = 130.0
    deadline.check()  # at the limit
    now[0] = 130.001
    with pytest.raises(InvalidValue, match="longer than 30 s") as refused:
        deadline.check(7, 10)  # as an import's progress callback
    assert refused.value.field == "file"


def test_the_unpacked_size_refusal_is_a_413_naming_both_sizes():
    refused = unpacks_too_large(300 * 1024 * 1024, 128 * 1024 * 1024)
    assert isinstance(refused, TooLarge) and "300.0 MiB" in refused.en and "128.0 MiB" in refused.en
