"""招商考核 (plan 七(四)2): "对接洽谈一批、签约落地一批、开工建设一批", counted per chain and year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol

from domain.chains.targets import TargetStage


def _every_stage() -> dict[str, int]:
    """Every stage slug with 0: the counts start from it, so a stage nothing entered still shows."""
    return dict.fromkeys((s.value for s in TargetStage), 0)


class Entered(NamedTuple):
    """The day a target entered a stage."""

    stage: TargetStage
    date: date


@dataclass(frozen=True, slots=True)
class TargetTrack:
    """A target as the pipeline counts it: its chain, its stage now, the stages it entered and when, in no
    set order (read as plain rows where thousands of targets only feed the counts, which read sets)."""

    chain_id: str
    stage: TargetStage
    stage_history: tuple[Entered, ...]


class Tracked(Protocol):
    """What the counts read of a target (a `Target` or a `TargetTrack`)."""

    @property
    def chain_id(self) -> str: ...

    @property
    def stage_history(self) -> Iterable[Entered]: ...


def entered_counts(
    targets: Iterable[Tracked], *, chain_id: str, year: int, until: date | None = None
) -> dict[str, int]:
    """Count the chain's targets that entered each stage in `year` (up to the day `until`, if given); every
    stage slug present, 0 if none.

    A target counts once in each stage it entered that year (lead, then negotiating in one year: both);
    a stage it skipped was never entered and counts nothing.
    """
    counts = _every_stage()
    for target in targets:
        if target.chain_id != chain_id:
            continue
        entered = (
            e for e in target.stage_history if e.date.year == year and (until is None or e.date <= until)
        )
        for stage in {str(e.stage) for e in entered}:
            counts[stage] += 1
    return counts


def entered_by_chain(
    targets: Iterable[Tracked], *, chain_ids: Iterable[str], year: int, until: date | None = None
) -> dict[str, dict[str, int]]:
    """`entered_counts` for each chain of `chain_ids` (a chain without targets gets all zeros)."""
    by_chain: dict[str, list[Tracked]] = defaultdict(list)
    for target in targets:
        by_chain[target.chain_id].append(target)
    return {
        chain_id: entered_counts(by_chain[chain_id], chain_id=chain_id, year=year, until=until)
        for chain_id in chain_ids
    }


def entered_by_year(targets: Iterable[Tracked], years: range, *, until: date) -> dict[int, dict[str, int]]:
    """`entered_counts` of all the targets together, for each of `years` up to the day `until`, in one pass
    over their histories (the evaluation's pipeline counts thousands of targets over the plan's years)."""
    counts = {year: _every_stage() for year in years}
    for target in targets:
        entered = {
            (e.date.year, str(e.stage))
            for e in target.stage_history
            if e.date.year in counts and e.date <= until
        }
        for year, stage in entered:
            counts[year][stage] += 1
    return counts


class Staged(Tracked, Protocol):
    """What the pipeline reads of a target: its chain, its stages entered, and its stage now."""

    @property
    def stage(self) -> TargetStage: ...


class EnteredTally(NamedTuple):
    """How many targets entered `stage` in `year` (each counted once), as a store counts them."""

    year: int
    stage: str
    targets: int


@dataclass(frozen=True, slots=True)
class PipelineCounts:
    """招商 pipeline: targets by their stage now, and by the stages they entered in each year of a range up to
    a day (`entered_counts` of all the targets together); every stage slug present, 0 if none."""

    by_stage: dict[str, int]
    by_year: dict[int, dict[str, int]]

    @classmethod
    def of_tally(
        cls, now: Iterable[tuple[str, int]], entered: Iterable[EnteredTally], years: range
    ) -> PipelineCounts:
        """The counts from a store's tallies (it counts what `pipeline_counts` counts, without the rows)."""
        by_stage = _every_stage()
        by_stage.update(now)
        by_year = {year: _every_stage() for year in years}
        for year, stage, targets in entered:
            if year in by_year:
                by_year[year][stage] = targets
        return cls(by_stage, by_year)


def pipeline_counts(targets: Iterable[Staged], years: range, *, until: date) -> PipelineCounts:
    """The pipeline of these targets: their stages now, and `entered_by_year` up to the day `until`."""
    targets = list(targets)
    by_stage = _every_stage()
    for target in targets:
        by_stage[str(target.stage)] += 1
    return PipelineCounts(by_stage, entered_by_year(targets, years, until=until))
