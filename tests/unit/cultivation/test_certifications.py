"""认定/入库: validity periods, certificate numbers and revocation."""

from __future__ import annotations

from datetime import date

import pytest

from domain.cultivation.certifications import Certification, CertificationKind, holds, three_year_expiry
from domain.shared.errors import Conflict, IllegalTransition, InvalidValue

from .builders import cert


@pytest.mark.parametrize("kind", ["hnte", "specialized", "little_giant"])
@pytest.mark.parametrize(
    ("issued", "last_valid_day"),
    [
        (date(2021, 11, 3), date(2024, 11, 2)),
        (date(2021, 1, 1), date(2023, 12, 31)),
        (date(2020, 2, 29), date(2023, 2, 28)),  # 29 Feb → 28 Feb
        (date(2021, 3, 1), date(2024, 2, 29)),  # the day before 1 March 2024 is a leap day
        (date(2021, 2, 28), date(2024, 2, 27)),
    ],
)
def test_three_year_designations_end_the_day_before_the_third_anniversary(
    kind: str, issued: date, last_valid_day: date
) -> None:
    certification = cert(kind, issued)
    assert certification.expires_on == last_valid_day
    assert certification.valid_on(last_valid_day)
    assert not certification.valid_on(date.fromordinal(last_valid_day.toordinal() + 1))


def test_three_year_expiry_helper() -> None:
    assert three_year_expiry(date(2024, 2, 29)) == date(2027, 2, 28)


@pytest.mark.parametrize("issued", [date(2023, 1, 1), date(2023, 6, 30), date(2023, 12, 31)])
def test_tech_sme_is_valid_through_31_december_of_its_year(issued: date) -> None:
    certification = cert("tech_sme", issued)
    assert certification.expires_on == date(2023, 12, 31)
    assert certification.valid_on(date(2023, 12, 31))
    assert not certification.valid_on(date(2024, 1, 1))


@pytest.mark.parametrize("kind", ["eaglet", "gazelle", "unicorn"])
def test_provincial_grades_need_an_expiry(kind: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        cert(kind, date(2022, 5, 1))
    assert caught.value.field == "expires_on"
    assert cert(kind, date(2022, 5, 1), expires_on=date(2025, 4, 30)).expires_on == date(2025, 4, 30)


@pytest.mark.parametrize("kind", ["platform", "above_scale"])
def test_open_designations_last_until_revoked_unless_given(kind: str) -> None:
    certification = cert(kind, date(2021, 1, 1))
    assert certification.expires_on is None
    assert certification.valid_on(date(2100, 12, 31))
    assert cert(kind, date(2021, 1, 1), expires_on=date(2021, 12, 31)).valid_on(date(2022, 1, 1)) is False


def test_an_expiry_before_the_issue_date_is_refused_and_the_same_day_is_one_valid_day() -> None:
    with pytest.raises(InvalidValue) as caught:
        cert("eaglet", date(2022, 5, 1), expires_on=date(2022, 4, 30))
    assert caught.value.field == "expires_on"
    one_day = cert("eaglet", date(2022, 5, 1), expires_on=date(2022, 5, 1))
    assert [one_day.valid_on(date(2022, 5, d)) for d in (1, 2)] == [True, False]


def test_a_given_expiry_that_contradicts_the_rule_is_refused() -> None:
    assert cert("hnte", date(2021, 11, 3), expires_on=date(2024, 11, 2)).expires_on == date(2024, 11, 2)
    with pytest.raises(InvalidValue, match="2024-11-02") as caught:
        cert("hnte", date(2021, 11, 3), expires_on=date(2024, 11, 3))
    assert caught.value.field == "expires_on"
    with pytest.raises(InvalidValue):
        cert("tech_sme", date(2023, 4, 1), expires_on=date(2024, 3, 31))


def test_validity_is_inclusive_from_the_issue_date() -> None:
    certification = cert("hnte", date(2021, 11, 3))
    assert not certification.valid_on(date(2021, 11, 2))
    assert certification.valid_on(date(2021, 11, 3))


@pytest.mark.parametrize("number", ["GR202121000123", "gr202121000123", " GR201921001234 "])
def test_hnte_numbers_match_the_gr_pattern(number: str) -> None:
    assert cert("hnte", date(2021, 11, 3), number=number).number == number.strip().upper()


@pytest.mark.parametrize(
    "number",
    [
        "GR20212100012",  # 5-digit serial
        "GR2021210001234",  # 7-digit serial
        "GX202121000123",
        "202121000123",
        "GR2021L1000123",
        "GR２０２１21000123",  # full-width digits are not ASCII digits
        "GR 202121000123",
    ],
)
def test_a_malformed_hnte_number_is_refused(number: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        cert("hnte", date(2021, 11, 3), number=number)
    assert caught.value.field == "number"


def test_other_kinds_take_free_text_numbers_and_an_empty_number_is_none() -> None:
    assert cert("tech_sme", date(2023, 4, 1), number="2023210300A00123").number == "2023210300A00123"
    assert cert("hnte", date(2021, 11, 3), number="").number is None


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        cert("gold_medal", date(2021, 1, 1))
    assert caught.value.field == "kind"


def test_a_revoked_certification_is_valid_until_the_day_before_revocation() -> None:
    certification = cert("hnte", date(2021, 11, 3))
    certification.revoke(date(2022, 6, 1), "虚假申报")
    assert (certification.revoked, certification.revoked_on, certification.revoke_reason) == (
        True,
        date(2022, 6, 1),
        "虚假申报",
    )
    assert certification.valid_on(date(2022, 5, 31))
    assert not certification.valid_on(date(2022, 6, 1))
    assert not certification.valid_on(date(2023, 1, 1))


def test_revoking_needs_a_reason() -> None:
    certification = cert("hnte", date(2021, 11, 3))
    for reason in ("", "  ", None):
        with pytest.raises(InvalidValue) as caught:
            certification.revoke(date(2022, 6, 1), reason)  # type: ignore[arg-type]
        assert caught.value.field == "reason"
    assert certification.revoked is False


def test_revoking_twice_is_a_409() -> None:
    certification = cert("hnte", date(2021, 11, 3))
    certification.revoke(date(2022, 6, 1), "虚假申报")
    with pytest.raises(IllegalTransition) as caught:
        certification.revoke(date(2022, 7, 1), "again")
    assert isinstance(caught.value, Conflict)
    assert certification.revoked_on == date(2022, 6, 1)


def test_revocation_may_not_precede_the_issue_date_but_may_fall_on_it() -> None:
    certification = cert("hnte", date(2021, 11, 3))
    with pytest.raises(InvalidValue) as caught:
        certification.revoke(date(2021, 11, 2), "错误")
    assert caught.value.field == "revoked_on"
    certification.revoke(date(2021, 11, 3), "错误")
    assert not certification.valid_on(date(2021, 11, 3))


def test_a_certification_built_revoked_must_be_complete() -> None:
    with pytest.raises(InvalidValue) as caught:
        cert("hnte", date(2021, 11, 3), revoked=True, revoke_reason="x")
    assert caught.value.field == "revoked_on"
    with pytest.raises(InvalidValue) as caught:
        cert("hnte", date(2021, 11, 3), revoked=True, revoked_on=date(2022, 1, 1))
    assert caught.value.field == "reason"
    with pytest.raises(InvalidValue) as caught:
        cert("hnte", date(2021, 11, 3), revoked_on=date(2022, 1, 1))
    assert caught.value.field == "revoked_on"
    built = cert("hnte", date(2021, 11, 3), revoked=True, revoked_on=date(2022, 1, 1), revoke_reason=" x ")
    assert built.revoke_reason == "x" and not built.valid_on(date(2022, 1, 1))


def test_ends_reports_the_first_invalid_day_and_why() -> None:
    assert cert("hnte", date(2021, 11, 3)).ends() == (date(2024, 11, 3), "expired")
    assert cert("platform", date(2021, 1, 1)).ends() is None
    revoked = cert("hnte", date(2021, 11, 3))
    revoked.revoke(date(2022, 6, 1), "x")
    assert revoked.ends() == (date(2022, 6, 1), "revoked")
    late = cert("tech_sme", date(2023, 4, 1))
    late.revoke(date(2024, 3, 1), "after expiry")
    assert late.ends() == (date(2024, 1, 1), "expired")


def test_label_names_kind_and_number() -> None:
    assert cert("hnte", date(2021, 11, 3), number="GR202121000123").label() == "hnte GR202121000123"
    assert cert("eaglet", date(2021, 11, 3), expires_on=date(2024, 1, 1)).label() == "eaglet certification"


def test_holds_looks_for_a_valid_one_of_the_kind() -> None:
    certifications = [cert("tech_sme", date(2022, 3, 1)), cert("hnte", date(2019, 11, 3))]
    assert holds(certifications, CertificationKind.HNTE, date(2022, 11, 2))
    assert not holds(certifications, CertificationKind.HNTE, date(2022, 11, 3))
    assert not holds(certifications, CertificationKind.TECH_SME, date(2023, 1, 1))


def test_the_kinds_are_the_docs_slugs() -> None:
    assert [k.value for k in CertificationKind] == [
        "tech_sme",
        "hnte",
        "eaglet",
        "gazelle",
        "unicorn",
        "platform",
        "specialized",
        "little_giant",
        "above_scale",
    ]
    assert isinstance(cert("hnte", date(2021, 1, 1)), Certification)
