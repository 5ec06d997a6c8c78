"""How an imported row finds its enterprise: by credit code, else by name — never a guess between two."""

from __future__ import annotations

import pytest

from domain.cultivation.enterprises import Enterprise
from domain.integration.importers.cultivation import EnterpriseIndex, _enterprise_values
from domain.shared.errors import InvalidValue
from tests.unit.cultivation.builders import with_check_character

CODE_A = with_check_character("91210300MA0U6X8Q1")
CODE_B = with_check_character("91210300241528512")


def test_a_row_finds_its_enterprise_by_code_first_then_by_name():
    coded, named = Enterprise(name="甲公司", credit_code=CODE_A), Enterprise(name="乙公司")
    index = EnterpriseIndex([coded, named])
    assert index.find(CODE_A, "改了名的甲公司") is coded
    assert index.find(None, "乙公司") is named
    assert index.find(CODE_B, "乙公司") is named  # gets its code
    assert index.find(CODE_B, "丙公司") is None


def test_a_name_held_by_another_code_or_by_two_enterprises_is_refused():
    index = EnterpriseIndex(
        [Enterprise(name="甲公司", credit_code=CODE_A), Enterprise(name="乙公司"), Enterprise(name="乙公司")]
    )
    with pytest.raises(InvalidValue) as other_code:
        index.find(CODE_B, "甲公司")
    assert other_code.value.field == "credit_code" and CODE_A in other_code.value.zh
    with pytest.raises(InvalidValue) as twice:
        index.find(None, "乙公司")
    assert twice.value.field == "name"


def test_the_index_follows_renames_and_new_codes():
    enterprise = Enterprise(name="甲公司")
    index = EnterpriseIndex([enterprise])
    enterprise.name, enterprise.credit_code = "甲集团", CODE_A
    index.add(enterprise)
    assert index.find(None, "甲公司") is None and index.find(None, "甲集团") is enterprise
    assert index.find(CODE_A, None) is enterprise


def test_blank_cells_clear_optional_fields_keep_required_ones_and_never_the_code():
    row = {
        "name": "甲公司",
        "credit_code": None,
        "cluster": None,
        "status": None,
        "listed": None,
        "aliases": None,
    }
    assert _enterprise_values(row, new=False) == {"name": "甲公司", "cluster": None, "aliases": []}
    assert _enterprise_values(row, new=True) == {"name": "甲公司"}
    assert _enterprise_values({"name": "甲", "credit_code": CODE_A}, new=False)["credit_code"] == CODE_A
