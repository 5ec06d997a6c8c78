from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.chains.targets import Target, TargetStage
from domain.chains.yardstick import (
    Entered,
    EnteredTally,
    PipelineCounts,
    TargetTrack,
    entered_by_chain,
    entered_by_year,
    entered_counts,
    pipeline_counts,
)

ZERO = {
    "lead": 0,
    "negotiating": 0,
    "signed": 0,
    "under_construction": 0,
    "in_production": 0,
    "dropped": 0,
}


def target(chain_id, on, *moves):
    t = Target.create(chain_id=chain_id, company_name="某企业", on=on)
    for stage, day in moves:
        t.move_to(stage, day)
    return t


def test_every_stage_is_present_with_zero_for_a_chain_without_targets():
    assert entered_counts([], chain_id="c1", year=2024) == ZERO
    assert list(entered_counts([], chain_id="c1", year=2024)) == list(ZERO)


def test_a_target_entering_two_stages_in_one_year_counts_in_both():
    t = target("c1", date(2024, 2, 1), ("negotiating", date(2024, 9, 1)))
    assert entered_counts([t], chain_id="c1", year=2024) == {**ZERO, "lead": 1, "negotiating": 1}


def test_stages_count_in_the_year_they_were_entered():
    t = target(
        "c1",
        date(2023, 11, 1),
        ("negotiating", date(2023, 12, 31)),
        ("signed", date(2024, 1, 1)),
        ("under_construction", date(2024, 12, 31)),
        ("in_production", date(2025, 1, 1)),
    )
    assert entered_counts([t], chain_id="c1", year=2023) == {**ZERO, "lead": 1, "negotiating": 1}
    assert entered_counts([t], chain_id="c1", year=2024) == {**ZERO, "signed": 1, "under_construction": 1}
    assert entered_counts([t], chain_id="c1", year=2025) == {**ZERO, "in_production": 1}


def test_skipped_stages_are_not_entered():
    t = target("c1", date(2024, 1, 5), ("under_construction", date(2024, 6, 1)))
    counts = entered_counts([t], chain_id="c1", year=2024)
    assert counts == {**ZERO, "lead": 1, "under_construction": 1}


def test_the_plans_three_batches_over_several_targets_and_chains():
    targets = [
        target("c1", date(2024, 1, 1), ("negotiating", date(2024, 2, 1))),
        target("c1", date(2024, 1, 1), ("negotiating", date(2024, 3, 1)), ("signed", date(2024, 4, 1))),
        target("c1", date(2024, 1, 1), ("signed", date(2024, 5, 1)), ("dropped", date(2024, 8, 1))),
        target("c2", date(2024, 1, 1), ("negotiating", date(2024, 2, 1))),
    ]
    assert entered_counts(targets, chain_id="c1", year=2024) == {
        **ZERO,
        "lead": 3,
        "negotiating": 2,  # 对接洽谈一批
        "signed": 2,  # 签约落地一批
        "dropped": 1,
    }
    assert entered_by_chain(targets, chain_ids=["c1", "c2", "c3"], year=2024) == {
        "c1": entered_counts(targets, chain_id="c1", year=2024),
        "c2": {**ZERO, "lead": 1, "negotiating": 1},
        "c3": ZERO,
    }


STAGES = list(ZERO)
days = st.dates(min_value=date(2020, 6, 1), max_value=date(2026, 6, 30))
histories = st.lists(st.tuples(st.sampled_from(STAGES), days), max_size=6).map(
    lambda entries: tuple(
        Entered(TargetStage(stage), day) for stage, day in sorted(entries, key=lambda e: e[1])
    )
)
tracks = st.lists(
    st.builds(
        TargetTrack, st.sampled_from(["c1", "c2", "c3"]), st.sampled_from(list(TargetStage)), histories
    ),
    max_size=12,
)


@given(tracks, days)
@settings(max_examples=200, deadline=None)
def test_the_years_in_one_pass_are_the_chains_counts_added_year_by_year(targets, until):
    years = range(2021, 2026)
    by_year = entered_by_year(targets, years, until=until)
    for year in years:
        by_chain = entered_by_chain(targets, chain_ids=["c1", "c2", "c3"], year=year, until=until)
        assert by_year[year] == {s: sum(counts[s] for counts in by_chain.values()) for s in STAGES}


def test_a_stage_entered_after_the_day_or_outside_the_years_counts_nothing():
    history = (Entered(TargetStage.LEAD, date(2020, 12, 31)), Entered(TargetStage.SIGNED, date(2023, 5, 2)))
    counts = entered_by_year(
        [TargetTrack("c1", TargetStage.SIGNED, history)], range(2021, 2024), until=date(2023, 5, 1)
    )
    assert counts == {2021: ZERO, 2022: ZERO, 2023: ZERO}
    counts = entered_by_year(
        [TargetTrack("c1", TargetStage.SIGNED, history)], range(2021, 2024), until=date(2023, 5, 2)
    )
    assert counts[2023] == {**ZERO, "signed": 1}


def test_the_pipeline_counts_stages_now_and_stages_entered_each_year_up_to_the_day():
    signed = Target.create(chain_id="c", company_name="甲", on=date(2022, 3, 1))
    signed.move_to("signed", date(2023, 2, 1))
    late = Target.create(chain_id="c", company_name="乙", on=date(2023, 12, 20))
    later = Target.create(chain_id="c", company_name="丙", on=date(2024, 1, 5))
    counts = pipeline_counts([signed, late, later], range(2021, 2024), until=date(2023, 12, 15))
    assert counts.by_stage == ZERO | {"lead": 2, "signed": 1}
    assert counts.by_year == {
        2021: ZERO,
        2022: ZERO | {"lead": 1},
        2023: ZERO | {"signed": 1},  # 乙 entered lead on 20 December, after the day
    }


def test_a_stores_tallies_give_every_stage_and_year_with_zeros_and_ignore_years_outside():
    counts = PipelineCounts.of_tally(
        [("lead", 3)],
        [EnteredTally(2022, "signed", 2), EnteredTally(2020, "lead", 9)],  # 2020: not a year asked for
        range(2021, 2023),
    )
    assert counts.by_stage == ZERO | {"lead": 3}
    assert counts.by_year == {2021: ZERO, 2022: ZERO | {"signed": 2}}
