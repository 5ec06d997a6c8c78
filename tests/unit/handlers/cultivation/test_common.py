"""What the cultivation handlers share: finding an enterprise, the rule set of a year, a tier's event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.cultivation.handlers._common import configured, get_enterprise, rules_for, tier_changed
from domain.cultivation.tiers import Tier
from domain.shared.errors import InvalidValue, NotFound
from tests.unit.handlers.cultivation.support import TODAY, enterprise_in


async def test_an_enterprise_is_found_by_id_or_is_a_404(uow):
    enterprise = enterprise_in(uow)
    assert await get_enterprise(enterprise.id, uow=uow) is enterprise
    with pytest.raises(NotFound) as missing:
        await get_enterprise("nothere", uow=uow)
    assert "nothere" in missing.value.en


@pytest.mark.parametrize(
    ("name", "year", "field"), [("gold_medal", 2023, "rule_set"), ("eaglet", 2020, "year")]
)
def test_a_rule_set_unknown_or_not_yet_in_force_is_a_422_naming_its_field(name, year, field):
    with pytest.raises(InvalidValue) as refused:
        rules_for(name, year)
    assert refused.value.field == field


def test_the_version_in_force_comes_with_the_service_rate_where_it_converts_one():
    assert (rules_for("hnte", 2023).name, rules_for("eaglet", 2021).name) == ("hnte", "eaglet")
    assert rules_for("unicorn", 2023).cny_per_usd == Decimal("7.0")
    assert rules_for("unicorn", 2023, Decimal("7.2")).cny_per_usd == Decimal("7.2")
    hnte = rules_for("hnte", 2023)
    assert configured(hnte, Decimal("7.2")) is hnte  # no rate to convert: the same version


def test_a_moved_tier_is_an_event_a_kept_one_is_none():
    assert tier_changed("e1", Tier.HNTE, Tier.HNTE, TODAY, "hnte corrected") is None
    event = tier_changed("e1", Tier.NONE, Tier.HNTE, date(2024, 6, 15), "hnte GR202421000001 recorded")
    assert (event.type, event.subject_type, event.subject_id) == (
        "enterprise.tier_changed",
        "enterprise",
        "e1",
    )
    assert event.data == {
        "enterprise_id": "e1",
        "date": "2024-06-15",
        "from": "none",
        "to": "hnte",
        "cause": "hnte GR202421000001 recorded",
    }
