from datetime import date

import pytest

from domain.chains.nodes import Node
from domain.chains.targets import Target, check_no_targets
from domain.shared.errors import NotDeletable

CHAIN = "nev"


def test_a_node_a_target_is_courted_for_cannot_be_deleted():
    node = Node(chain_id=CHAIN, name="新能源乘用车", stage="midstream")
    courted = Target.create(chain_id=CHAIN, company_name="比亚迪", on=date(2021, 12, 1), node=node)
    with pytest.raises(NotDeletable) as refused:
        check_no_targets(node.id, [courted])
    assert refused.value.rule == "not-deletable"


def test_targets_elsewhere_or_without_a_node_do_not_block_the_deletion():
    node = Node(chain_id=CHAIN, name="动力电池", stage="upstream")
    other = Node(chain_id=CHAIN, name="驱动电机", stage="upstream")
    elsewhere = Target.create(
        chain_id=CHAIN, company_name="宁德时代动力电池", on=date(2021, 12, 1), node=other
    )
    nowhere = Target.create(chain_id=CHAIN, company_name="比亚迪集团动力电池", on=date(2021, 12, 1))
    check_no_targets(node.id, [elsewhere, nowhere])
