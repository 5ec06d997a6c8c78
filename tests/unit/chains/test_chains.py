import pytest

from domain.chains.chains import Chain
from domain.shared.errors import InvalidValue


def test_a_chain_keeps_its_fields_trimmed_and_blank_optional_ones_empty():
    chain = Chain(name=" 储能电池 ", code="ESS", group="新能源", description="  ")
    assert (chain.name, chain.code, chain.group, chain.description) == ("储能电池", "ESS", "新能源", None)
    assert chain.leader_enterprise_id is None


def test_a_chain_needs_a_name():
    with pytest.raises(InvalidValue) as refused:
        Chain(name="")
    assert refused.value.field == "name"


def test_revise_changes_only_what_is_given_and_none_clears():
    chain = Chain(name="储能电池", code="ESS", group="新能源", leader_enterprise_id="jiuyi")
    chain.revise(description="锂离子、钠离子", leader_enterprise_id=None)
    assert (chain.name, chain.code, chain.group) == ("储能电池", "ESS", "新能源")
    assert (chain.description, chain.leader_enterprise_id) == ("锂离子、钠离子", None)
    with pytest.raises(InvalidValue):
        chain.revise(name=" ")
    assert chain.name == "储能电池"
