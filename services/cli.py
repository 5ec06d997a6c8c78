"""The `gaoxin` command: migrate, seed, serve, and the accounts an operator creates by hand."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from domain.identity.handlers import accounts
from domain.identity.roles import Role, Scope
from domain.shared.errors import DomainError
from infrastructure.db.backup import BackupRefused, backup_sqlite
from infrastructure.db.migrate import upgrade
from infrastructure.seed import seed_all
from infrastructure.settings import get_settings
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.bootstrap import hasher_for, prepare_database, session_factory_for
from services.logging_setup import configure_logging
from services.worker.relay import run_relay


def cmd_migrate(_args: argparse.Namespace) -> int:
    """Bring the database schema to the newest revision."""
    upgrade(get_settings().database_url)
    print("database migrated to head")
    return 0


async def _seed() -> dict[str, int]:
    async with session_factory_for(get_settings()) as factory:
        return await seed_all(factory)


def cmd_seed(_args: argparse.Namespace) -> int:
    """Load the plan's data set; idempotent."""
    written = asyncio.run(_seed())
    print("seeded: " + (", ".join(f"{k} {v}" for k, v in written.items()) or "nothing to seed"))
    return 0


def _announce_admin(password: str | None) -> None:
    if password:
        # Printed once, on the console of the first start; it must be changed at the first login.
        print(f"created user 'admin' with the temporary password: {password}", flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    """Migrate, seed what is missing, make sure an admin exists, and serve the API with uvicorn."""
    import uvicorn

    settings = get_settings()
    _announce_admin(asyncio.run(prepare_database(settings)))
    if args.workers > 1 and settings.relay_in_process:
        # Each worker would relay: run `gaoxin relay` beside the workers instead.
        os.environ["GAOXIN_RELAY_IN_PROCESS"] = "false"
        print("several workers: the relay is not started in-process; run `gaoxin relay` beside them")
    uvicorn.run(
        "services.api.app:serve_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        proxy_headers=True,
    )
    return 0


async def _relay() -> None:
    settings = get_settings()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with session_factory_for(settings) as factory:
        await run_relay(settings, factory, stop)


def cmd_relay(_args: argparse.Namespace) -> int:
    """Deliver events to webhooks (and NATS) until stopped; several may run against PostgreSQL."""
    asyncio.run(_relay())
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy the embedded SQLite database to FILE while the service runs."""
    try:
        pages = backup_sqlite(get_settings().database_url, Path(args.file))
    except BackupRefused as exc:
        print(f"gaoxin: {exc}", file=sys.stderr)
        return 2
    print(f"backed up {pages} pages to {args.file}")
    return 0


def _count_rows(done: int, total: int) -> None:
    """The import's progress bar: a plain counter on stderr, rewritten in place every 200 rows."""
    if done % 200 == 0 or done == total:
        print(f"\r{done}/{total} rows", end="\n" if done == total else "", file=sys.stderr, flush=True)


async def _import(args: argparse.Namespace):
    from domain.integration import ledgers
    from domain.integration.import_handlers.imports import import_ledger
    from domain.shared.clock import SystemClock
    from infrastructure.excel.lookups import LedgerLookups
    from infrastructure.excel.reader import read_sheet
    from infrastructure.excel.units import SavepointRows

    sheet = read_sheet(Path(args.file).read_bytes(), filename=args.file, max_rows=ledgers.MAX_ROWS)
    async with (
        session_factory_for(get_settings()) as factory,
        SqlAlchemyUnitOfWork(factory, actor="cli") as uow,
    ):
        return await import_ledger(
            args.kind,
            sheet,
            uow=uow,
            rows=SavepointRows(uow),
            lookups=LedgerLookups(uow.session),
            today=SystemClock().today(),
            plan_id=args.plan_id,
            dry_run=args.dry_run,
            partial=args.partial,
            progress=_count_rows,
        )


def cmd_import(args: argparse.Namespace) -> int:
    """Import an Excel ledger (台账) as POST /api/v1/imports/{kind} does; 1 when the sheet is refused."""
    try:
        report = asyncio.run(_import(args))
    except OSError as exc:
        print(f"gaoxin: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    for error in sorted(report.errors, key=lambda e: e.row):
        where = f"row {error.row}" + (f", {error.column}" if error.column else "")
        print(f"{where}: {error.zh} ({error.en})", file=sys.stderr)
    outcome = "done"
    if report.dry_run or report.refused:
        outcome = "dry run, nothing written" if report.dry_run else "refused, nothing written"
    print(
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{len(report.errors)} errors — {outcome}"
    )
    return 1 if report.refused and not report.dry_run else 0


def _read_password(given: str | None) -> str:
    if given:
        return given
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\n")


async def _add_user(args: argparse.Namespace) -> str:
    settings = get_settings()
    data = {
        "username": args.name,
        "password": _read_password(args.password),
        "roles": args.role,
        "department_id": args.department,
        "display_name": args.display_name,
    }
    async with session_factory_for(settings) as factory, SqlAlchemyUnitOfWork(factory, actor="cli") as uow:
        user = await accounts.create_user(data, uow=uow, hasher=hasher_for(settings), now=datetime.now(UTC))
    return user.id


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create a user from the command line (password from --password or stdin)."""
    print(f"created user {args.name} ({asyncio.run(_add_user(args))})")
    return 0


async def _add_client(args: argparse.Namespace) -> accounts.IssuedClient:
    settings = get_settings()
    async with session_factory_for(settings) as factory, SqlAlchemyUnitOfWork(factory, actor="cli") as uow:
        return await accounts.create_client(
            {"name": args.name, "scopes": args.scope},
            uow=uow,
            hasher=hasher_for(settings),
            now=datetime.now(UTC),
        )


def cmd_client_add(args: argparse.Namespace) -> int:
    """Register a city-system client and print its id and secret (shown this once)."""
    issued = asyncio.run(_add_client(args))
    print(f"client_id: {issued.client.client_id}\nclient_secret: {issued.client_secret}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gaoxin", description="鞍山高新区规划实施服务")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the database schema").set_defaults(func=cmd_migrate)
    sub.add_parser("seed", help="load the plan's data set (idempotent)").set_defaults(func=cmd_seed)
    serve = sub.add_parser("serve", help="migrate, seed and serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("relay", help="deliver events to webhooks and NATS").set_defaults(func=cmd_relay)
    backup = sub.add_parser("backup", help="online backup of the SQLite database to FILE")
    backup.add_argument("file")
    backup.set_defaults(func=cmd_backup)

    imports = sub.add_parser("import", help="import an Excel ledger (台账)")
    imports.add_argument(
        "kind", choices=["enterprises", "tasks", "progress_reports", "indicator_observations", "metrics"]
    )
    imports.add_argument("file", help="the .xlsx workbook; its first sheet is read, row 1 the header")
    imports.add_argument("--plan-id", help="the plan the rows belong to (tasks, indicator_observations)")
    imports.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imports.add_argument("--partial", action="store_true", help="write the good rows even if some are bad")
    imports.set_defaults(func=cmd_import)

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="action", required=True)
    add_user = user.add_parser("add", help="create a user")
    add_user.add_argument("name")
    add_user.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    add_user.add_argument("--password", help="the password; read from stdin when omitted")
    add_user.add_argument("--department", help="department id (required with --role department)")
    add_user.add_argument("--display-name")
    add_user.set_defaults(func=cmd_user_add)

    client = sub.add_parser("client", help="manage city-system clients").add_subparsers(
        dest="action", required=True
    )
    add_client = client.add_parser("add", help="register a client")
    add_client.add_argument("name")
    add_client.add_argument("--scope", action="append", required=True, choices=[s.value for s in Scope])
    add_client.set_defaults(func=cmd_client_add)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValueError as exc:
        print(f"gaoxin: configuration refused: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        return args.func(args)
    except DomainError as exc:
        print(f"gaoxin: {exc.en} ({exc.zh})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
