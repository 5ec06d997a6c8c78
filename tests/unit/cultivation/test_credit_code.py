"""统一社会信用代码: GB 32100-2015 character set and check character."""

from __future__ import annotations

import random

import pytest

from domain.cultivation.credit_code import CreditCode
from domain.shared.errors import InvalidValue

from .builders import CHARSET, with_check_character

# Published codes, each verified with the independent helper below (not with the code under test).
PUBLIC = ["91350100M000100Y43", "9144030071526726XG", "914403001922038216", "91110000802100433B"]


def generated(count: int) -> list[str]:
    rng = random.Random(32100)
    return [with_check_character("".join(rng.choice(CHARSET) for _ in range(17))) for _ in range(count)]


VALID = PUBLIC + generated(12)


def test_the_public_examples_agree_with_the_independent_helper() -> None:
    assert all(with_check_character(code[:17]) == code for code in PUBLIC)


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_are_accepted(code: str) -> None:
    assert CreditCode(code).value == code
    assert str(CreditCode(code)) == code


def test_lower_case_is_accepted_and_upper_cased() -> None:
    assert CreditCode("9144030071526726xg").value == "9144030071526726XG"
    assert CreditCode(" 91350100m000100y43 ").value == "91350100M000100Y43"


@pytest.mark.parametrize("code", VALID[:6])
def test_every_single_character_corruption_is_refused(code: str) -> None:
    foreign = "IOSVZ*-é１"  # outside the charset (I, O, S, V, Z are excluded by the standard)
    refused = 0
    for position in range(18):
        for replacement in CHARSET + CHARSET.lower() + foreign:
            if replacement.upper() == code[position]:
                continue
            corrupted = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(InvalidValue) as caught:
                CreditCode(corrupted)
            assert caught.value.field == "credit_code"
            refused += 1
    assert refused == 18 * (2 * 30 + len(foreign))


def test_a_wrong_length_says_so() -> None:
    with pytest.raises(InvalidValue, match="18 characters, got 17") as caught:
        CreditCode("91350100M000100Y4")
    assert "18位" in caught.value.zh
    with pytest.raises(InvalidValue, match="got 19"):
        CreditCode("91350100M000100Y430")


def test_a_character_outside_the_charset_names_its_position() -> None:
    with pytest.raises(InvalidValue, match="'O' at position 9") as caught:
        CreditCode("91350100O000100Y43")
    assert "第9位" in caught.value.zh


def test_a_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(InvalidValue, match="should be '3', got '4'") as caught:
        CreditCode("91350100M000100Y44")
    assert caught.value.field == "credit_code"


def test_a_check_value_of_zero_maps_to_the_character_zero() -> None:
    # Σ ≡ 0 (mod 31) gives (31 − 0) mod 31 = 0, i.e. "0", not "Y".
    code = with_check_character("0" * 17)
    assert code == "0" * 18
    assert CreditCode(code).value == code


def test_non_text_is_refused() -> None:
    with pytest.raises(InvalidValue):
        CreditCode(913501001)  # type: ignore[arg-type]


def test_the_value_object_is_immutable_and_compares_by_value() -> None:
    code = CreditCode("9144030071526726xg")
    assert code == CreditCode("9144030071526726XG")
    with pytest.raises(AttributeError):
        code.value = "x"  # type: ignore[misc]
