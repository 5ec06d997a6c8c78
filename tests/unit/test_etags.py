"""A strong ETag is the digest of what the caller is shown, whatever the order of its keys."""

from __future__ import annotations

from services.api.etag import etag_of


def test_the_same_representation_in_any_key_order_has_the_same_etag():
    shown = {
        "id": "e1",
        "name": "鞍山某科技有限公司",
        "tags": ["a", "b"],
        "revenue": "12.50",
        "n": {"b": 1, "a": 2},
    }
    reordered = {
        "n": {"a": 2, "b": 1},
        "revenue": "12.50",
        "tags": ["a", "b"],
        "name": "鞍山某科技有限公司",
        "id": "e1",
    }
    assert etag_of(shown) == etag_of(reordered)
    assert etag_of(shown).startswith('"') and etag_of(shown).endswith('"') and len(etag_of(shown)) == 34


def test_any_change_of_what_is_shown_changes_the_etag():
    shown = {"id": "e1", "status": "active", "tags": ["a", "b"]}
    assert etag_of(shown) != etag_of({**shown, "status": "deregistered"})
    assert etag_of(shown) != etag_of({**shown, "tags": ["b", "a"]})  # a list's order is part of it
    assert etag_of({"n": 1}) != etag_of({"n": "1"})


def test_a_value_the_fast_encoder_cannot_write_still_has_a_stable_etag():
    huge = {"id": "e1", "count": 2**70}
    assert etag_of(huge) == etag_of({"count": 2**70, "id": "e1"}) != etag_of({"id": "e1", "count": 2**70 + 1})
