"""The SQLAlchemy unit of work: one session, one transaction, events to the outbox, audit beside them.

A reader follows a write by name: `uow.tasks` is a `TaskRepository` declared below; the events written at
commit are those of the aggregates the repositories handed out (`Repository.seen`) and those recorded with
`uow.record`; audit entries and derived columns come from the explicit tables of `infrastructure/audit.py`
and `infrastructure/derived.py`, applied by this unit's own before-flush step on its own session. The same
step notes the enterprises whose certifications or own row are written; at commit their validity intervals
and today's tier are rewritten in the transaction (`infrastructure/stored_tiers.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Self, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import event, insert, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domain.identity.audit import AuditEntry
from domain.planning.handlers.rollups import keep_rollups
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task
from domain.planning.year_ends import YearEndTrees
from domain.shared.clock import Clock, SystemClock
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id
from infrastructure.audit import AuditRecorder, append_entries
from infrastructure.db.driver_reads import AUTOCOMMIT_READ
from infrastructure.db.engine import new_session, read_engine, transaction_id
from infrastructure.db.tables.outbox import outbox
from infrastructure.derived import keep_derived
from infrastructure.excel.lookups import LedgerLookups
from infrastructure.idempotency import mark_committed
from infrastructure.outbox.feed import EventFeed
from infrastructure.repositories.audit import AuditLogReader
from infrastructure.repositories.base import READ_UNIT, Reader, share_read_once
from infrastructure.repositories.chains import (
    ChainRepository,
    ChiefAssignmentRepository,
    EnterpriseFactReader,
    NodeLinkRepository,
    NodeRepository,
    TargetRepository,
)
from infrastructure.repositories.cultivation import (
    AnnualMetricsRepository,
    CertificationRepository,
    EnterpriseRepository,
    LiveIndicatorRepository,
    PoolMembershipRepository,
    RegistryReader,
)
from infrastructure.repositories.evaluation_report import EvaluationReportReader
from infrastructure.repositories.history import TaskHistoryReader, TransitionRepository
from infrastructure.repositories.identity import (
    ClientRepository,
    ClientTokenRepository,
    DepartmentRepository,
    RefreshTokenRepository,
    SessionRepository,
    SourceThrottleRepository,
    ThrottleRepository,
    UserRepository,
)
from infrastructure.repositories.integration import DashboardReader, DeliveryRepository, WebhookRepository
from infrastructure.repositories.planning import (
    AttachmentRepository,
    ExtensionRequestRepository,
    IndicatorRepository,
    ObservationRepository,
    PlanRepository,
    ProgressReportRepository,
    TaskRepository,
    UrgeRepository,
)
from infrastructure.repositories.rollups import TaskRollupRepository
from infrastructure.repositories.sweep import SweepCandidateReader, SweepMarkRepository
from infrastructure.repositories.year_ends import TaskYearEndRepository
from infrastructure.stored_tiers import StoredTierReader, TierKeeper
from infrastructure.year_end_keeper import YearEndKeeper

R = TypeVar("R")


# The closed years' trees each process keeps, one memo per session factory (per database it serves).
_YEAR_END_TREES: WeakKeyDictionary[async_sessionmaker, YearEndTrees] = WeakKeyDictionary()


class SqlAlchemyUnitOfWork:
    """Rolls back unless `commit()` is called. At commit it writes, in the same transaction: the events the
    aggregates raised (outbox) and an audit entry for every audited change."""

    def __init__(
        self,
        session_factory: async_sessionmaker,
        *,
        write: bool = True,
        actor: str | Callable[[], str | None] | None = None,
        request_id: str | None = None,
        source: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._session_factory = session_factory
        # The request's today and now: the route's, and the derivations' a write leaves behind (stored tiers,
        # task roll-ups)
        self.clock = clock or SystemClock()
        self.write = write
        # The actor may be known only after authentication, which runs after the unit of work is made.
        self._actor = actor
        self.request_id = request_id
        self.source = source  # the caller's network address, which every audit entry of this unit carries
        self.session: AsyncSession
        self._events: list[DomainEvent] = []
        self._repositories: dict[type, Reader] = {}
        self._audit = AuditRecorder()
        self._tiers = TierKeeper()
        self._touched_tasks: set[str] = set()  # whose roll-ups (and their ancestors') the commit rewrites
        self._year_ends = YearEndKeeper()  # the year-end rows its writes reach back to
        self._autocommit = False
        self.committed = False

    @property
    def actor(self) -> str | None:
        return self._actor() if callable(self._actor) else self._actor

    @actor.setter
    def actor(self, value: str | None) -> None:
        self._actor = value

    def _repository(self, kind: type[R]) -> R:
        """The one repository of a kind this unit hands out (made on first use, on this unit's session)."""
        found = self._repositories.get(kind)
        if found is None:
            found = self._repositories[kind] = kind(self.session)
        return found  # type: ignore[return-value]

    # --- identity --------------------------------------------------------------------------------------
    @property
    def departments(self) -> DepartmentRepository:
        return self._repository(DepartmentRepository)

    @property
    def users(self) -> UserRepository:
        return self._repository(UserRepository)

    @property
    def clients(self) -> ClientRepository:
        return self._repository(ClientRepository)

    @property
    def sessions(self) -> SessionRepository:
        return self._repository(SessionRepository)

    @property
    def refresh_tokens(self) -> RefreshTokenRepository:
        return self._repository(RefreshTokenRepository)

    @property
    def client_tokens(self) -> ClientTokenRepository:
        return self._repository(ClientTokenRepository)

    @property
    def throttle(self) -> ThrottleRepository:
        return self._repository(ThrottleRepository)

    @property
    def source_throttle(self) -> SourceThrottleRepository:
        return self._repository(SourceThrottleRepository)

    @property
    def audit_log(self) -> AuditLogReader:
        return self._repository(AuditLogReader)

    # --- planning --------------------------------------------------------------------------------------
    @property
    def plans(self) -> PlanRepository:
        return self._repository(PlanRepository)

    @property
    def tasks(self) -> TaskRepository:
        return self._repository(TaskRepository)

    @property
    def task_transitions(self) -> TransitionRepository:
        return self._repository(TransitionRepository)

    @property
    def task_history(self) -> TaskHistoryReader:
        return self._repository(TaskHistoryReader)

    @property
    def progress_reports(self) -> ProgressReportRepository:
        return self._repository(ProgressReportRepository)

    @property
    def attachments(self) -> AttachmentRepository:
        return self._repository(AttachmentRepository)

    @property
    def extension_requests(self) -> ExtensionRequestRepository:
        return self._repository(ExtensionRequestRepository)

    @property
    def urges(self) -> UrgeRepository:
        return self._repository(UrgeRepository)

    @property
    def indicators(self) -> IndicatorRepository:
        return self._repository(IndicatorRepository)

    @property
    def observations(self) -> ObservationRepository:
        return self._repository(ObservationRepository)

    # --- cultivation -----------------------------------------------------------------------------------
    @property
    def enterprises(self) -> EnterpriseRepository:
        return self._repository(EnterpriseRepository)

    @property
    def certifications(self) -> CertificationRepository:
        return self._repository(CertificationRepository)

    @property
    def annual_metrics(self) -> AnnualMetricsRepository:
        return self._repository(AnnualMetricsRepository)

    @property
    def pool_memberships(self) -> PoolMembershipRepository:
        return self._repository(PoolMembershipRepository)

    @property
    def registry(self) -> RegistryReader:
        return self._repository(RegistryReader)

    @property
    def live_indicators(self) -> LiveIndicatorRepository:
        return self._repository(LiveIndicatorRepository)

    @property
    def stored_tiers(self) -> StoredTierReader:
        return self._repository(StoredTierReader)

    # --- chains ----------------------------------------------------------------------------------------
    @property
    def chains(self) -> ChainRepository:
        return self._repository(ChainRepository)

    @property
    def chief_assignments(self) -> ChiefAssignmentRepository:
        return self._repository(ChiefAssignmentRepository)

    @property
    def chain_nodes(self) -> NodeRepository:
        return self._repository(NodeRepository)

    @property
    def node_links(self) -> NodeLinkRepository:
        return self._repository(NodeLinkRepository)

    @property
    def targets(self) -> TargetRepository:
        return self._repository(TargetRepository)

    @property
    def enterprise_facts(self) -> EnterpriseFactReader:
        return self._repository(EnterpriseFactReader)

    # --- integration -----------------------------------------------------------------------------------
    @property
    def webhooks(self) -> WebhookRepository:
        return self._repository(WebhookRepository)

    @property
    def deliveries(self) -> DeliveryRepository:
        return self._repository(DeliveryRepository)

    @property
    def events(self) -> EventFeed:
        return self._repository(EventFeed)

    @property
    def dashboard(self) -> DashboardReader:
        return self._repository(DashboardReader)

    # --- the daily sweep (domain/integration/sweep.py) -------------------------------------------------
    @property
    def sweep_candidates(self) -> SweepCandidateReader:
        return self._repository(SweepCandidateReader)

    @property
    def sweep_marks(self) -> SweepMarkRepository:
        return self._repository(SweepMarkRepository)

    @property
    def task_rollups(self) -> TaskRollupRepository:
        return self._repository(TaskRollupRepository)

    @property
    def task_year_ends(self) -> TaskYearEndRepository:
        return self._repository(TaskYearEndRepository)

    @property
    def year_end_trees(self) -> YearEndTrees:
        trees = _YEAR_END_TREES.get(self._session_factory)
        if trees is None:
            trees = _YEAR_END_TREES[self._session_factory] = YearEndTrees()
        return trees

    # --- the evaluation report (domain/integration/evaluation_report.py) ----------------------------------
    @property
    def evaluation_report(self) -> EvaluationReportReader:
        return self._repository(EvaluationReportReader)

    # --- the ledgers (domain/integration/handlers: imports and exports) --------------------------------
    @property
    def ledger_lookups(self) -> LedgerLookups:
        """The ledgers' bulk look-ups (names → ids, the registry's columns) on this unit's session."""
        return LedgerLookups(self.session)

    # --- the transaction -------------------------------------------------------------------------------
    async def __aenter__(self) -> Self:
        bind = self._session_factory.kw["bind"]
        if not self.write and bind.dialect.name == "postgresql":
            # A read runs each statement on its own: no BEGIN and ROLLBACK round trips around it. At READ
            # COMMITTED, a transaction gives a read of several statements no common snapshot either.
            self.session = self._session_factory(bind=autocommit(bind))
            self.session.info[AUTOCOMMIT_READ] = True
            self._autocommit = True
        else:
            self.session = new_session(self._session_factory, write=self.write)
        if not self.write:
            self.session.info[READ_UNIT] = True
        if self.write:
            # This unit's own step before each flush (not a process-wide listener): derived columns first,
            # then the audit's note of what the flush creates, changes and deletes, while it still knows.
            event.listen(self.session.sync_session, "before_flush", self._before_flush)
        return self

    async def side_by_side(self, *reads: Callable[[Self], Awaitable[Any]]) -> list[Any]:
        """The results of `reads` in order: the first on this unit, each other on a read unit of its own, at
        the same time — where this unit reads without a transaction (PostgreSQL's read pool) and the pool has
        the connections idle, so that one read's statements run in PostgreSQL while another's rows are worked
        on here. Elsewhere (a write, SQLite's one connection, a busy pool) one after the other on this unit,
        up to the first failure. Side by side, every read runs to its end before the first failure is
        raised: no statement is left cancelled on a pooled connection, no unit open."""
        if not self._autocommit or not self._spare_connections(len(reads) - 1):
            return [await read(self) for read in reads]

        async def on_own_unit(read: Callable[[Self], Awaitable[Any]]) -> Any:
            unit = SqlAlchemyUnitOfWork(  # a plain read unit, whatever kind this one is
                self._session_factory,
                write=False,
                actor=self._actor,
                request_id=self.request_id,
                source=self.source,
                clock=self.clock,
            )
            async with unit:
                share_read_once(unit.session, self.session)
                return await read(unit)

        first, *others = reads
        results = await asyncio.gather(first(self), *map(on_own_unit, others), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return results

    def _spare_connections(self, wanted: int) -> bool:
        """Whether the read pool has `wanted` connections idle within its first half. A unit waiting for
        another connection while it holds one could wait for ever once every connection is so held: under
        load the reads run one after the other instead, and the pool's second half is the margin for
        requests that look at once."""
        pool = self.session.bind.sync_engine.pool
        checked_out = getattr(pool, "checkedout", None)
        if checked_out is None or getattr(pool, "size", None) is None:
            return False  # a pool that keeps no count (tests' static pools): one after the other
        return checked_out() + wanted <= side_by_side_room(pool)

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            if not self.committed and not self._autocommit:  # an autocommit read has nothing to undo
                await self.session.rollback()
        finally:
            # A session that never began holds no connection and no loaded object: there is nothing to
            # close, and closing it would still cost a hand-off to a greenlet (GET one reads apart from it).
            if self.session.in_transaction():
                await self.session.close()

    def _before_flush(self, session, _context, _instances) -> None:
        keep_derived([*session.new, *session.dirty])
        self._tiers.note([*session.new, *session.dirty, *session.deleted])
        self._audit.capture(session)
        self._note_touched_tasks(session)
        self._year_ends.note([*session.new, *session.deleted], session.dirty)

    def _note_touched_tasks(self, session) -> None:
        """The tasks whose roll-ups this flush may change: tasks written (and the parents a task left or had
        when deleted), and the tasks of reports written. Moves, extensions and urges change their task."""
        touched = self._touched_tasks
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, Task):
                touched.add(obj.id)
                if obj.parent_id is not None:
                    touched.add(obj.parent_id)
                touched.update(p for p in inspect(obj).attrs.parent_id.history.deleted if p is not None)
            elif isinstance(obj, ProgressReport):
                touched.add(obj.task_id)

    def record(self, event: DomainEvent) -> None:
        """Raise an event that belongs to no loaded aggregate (a deletion, a time-caused change)."""
        self._events.append(event)

    def audit(self, action: str, resource_type: str, resource_id: str | None, **after: Any) -> None:
        """Log something that is no change of an audited aggregate (a security event, a sensitive read)."""
        self._audit.extra.append(
            AuditEntry(
                datetime.now(UTC),
                self.actor,
                action,
                resource_type,
                resource_id,
                self.request_id,
                None,
                after or None,
                self.source,
            )
        )

    async def flush(self) -> None:
        """Write what is pending without committing (ids and constraints checked now)."""
        await self.session.flush()

    async def commit(self) -> None:
        if not self._autocommit:
            await self.session.flush()
            await self._tiers.write(self.session, self.clock.today())
            if self._touched_tasks:
                # Before the audit's append, which holds the one audit-chain lock of every audited write
                # until COMMIT (infrastructure/audit.py): the roll-up's reads stay outside that queue, and
                # the rows it holds are only those above the tasks written.
                touched, self._touched_tasks = self._touched_tasks, set()
                await keep_rollups(touched, today=self.clock.today(), uow=self)
            await self._year_ends.forget(self.task_year_ends, self.clock.today())
            await self._commit_on(self.session)
        else:
            # A read unit writes only what it recorded (the audit of a sensitive read, an event): in a
            # transaction of its own, since its session commits every statement by itself.
            if self.session.new or self.session.dirty or self.session.deleted:
                raise RuntimeError("a read unit of work changes no entity: open it with write=True")
            async with new_session(self._session_factory, write=True) as writer:
                await self._commit_on(writer)
        self.committed = True

    async def _commit_on(self, session: AsyncSession) -> None:
        await self._write_outbox(session)
        entries = self._audit.entries(
            at=datetime.now(UTC), actor=self.actor, request_id=self.request_id, source=self.source
        )
        await append_entries(session, entries)
        await mark_committed(session)
        await session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    def handed_out(self) -> Iterator[Any]:
        """Every aggregate this unit's repositories returned or were given."""
        for repository in self._repositories.values():
            yield from repository.remembered()

    def collect_events(self) -> list[DomainEvent]:
        """Pull the events of the aggregates handed out, and those recorded directly, in time order."""
        events = list(self._events)
        self._events.clear()
        for obj in self.handed_out():
            # an object of a rolled-back savepoint (a refused import row) is transient again: no events
            state = inspect(obj)
            if state.persistent or state.pending:
                events.extend(obj.pull_events())
        return sorted(events, key=lambda e: e.occurred_at)

    async def _write_outbox(self, session: AsyncSession) -> None:
        events = self.collect_events()
        if not events:
            return
        txid = await transaction_id(session)
        await session.execute(
            insert(outbox),
            [
                {
                    "event_id": new_id(),
                    "txid": txid,
                    "type": e.type,
                    "subject_type": e.subject_type,
                    "subject_id": e.subject_id,
                    "data": e.data,
                    "occurred_at": e.occurred_at,
                }
                for e in events
            ],
        )


def side_by_side_room(pool) -> int:
    """How many of a read pool's connections `side_by_side` may hold at once: half of them."""
    return pool.size() // 2


_AUTOCOMMIT: WeakKeyDictionary[Engine, AsyncEngine] = WeakKeyDictionary()


def autocommit(bind: AsyncEngine) -> AsyncEngine:
    """Where a read runs without a transaction: the read pool `make_engine` made beside the engine, else
    (an engine made elsewhere) the engine's autocommit face, made once, on its own pool."""
    found = read_engine(bind) or _AUTOCOMMIT.get(bind.sync_engine)
    if found is None:
        found = _AUTOCOMMIT[bind.sync_engine] = bind.execution_options(isolation_level="AUTOCOMMIT")
    return found


class BatchUnitOfWork(SqlAlchemyUnitOfWork):
    """Many use cases in one transaction (the sample data set): each handler's `commit()` only flushes, and
    `commit_all()` commits once at the end, so that an interrupted batch leaves nothing behind."""

    async def commit(self) -> None:
        await self.flush()

    async def commit_all(self) -> None:
        await super().commit()
