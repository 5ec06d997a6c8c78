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
from domain.shared.clock import SystemClock
from domain.shared.errors import DomainError
from infrastructure.db.backup import BackupRefused, backup_sqlite
from infrastructure.db.migrate import upgrade
from infrastructure.seed import seed_all
from infrastructure.settings import get_settings
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.audit_commands import add_audit_commands
from services.bootstrap import hasher_for, prepare_database, seal_audit_chain, session_factory_for
from services.logging_setup import configure_logging
from services.report_command import add_report_command
from services.verify_command import add_verify_command
from services.worker.relay import run_relay


def cmd_migrate(_args: argparse.Namespace) -> int:
    """Bring the database schema to the newest revision."""
    upgrade(get_settings().database_url)
    asyncio.run(seal_audit_chain(get_settings()))
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


def banner(lines: list[str]) -> str:
    """Lines framed on their own, so that they stand out between log lines."""
    width = max(len(line) for line in lines) + 2
    rule = "+" + "-" * width + "+"
    return "\n".join(["", rule, *(f"| {line.ljust(width - 2)} |" for line in lines), rule, ""])


def _announce_admin(password: str | None) -> None:
    if password:
        # Printed once, on the console of the first start; it must be changed at the first login.
        print(
            banner(
                [
                    "first start: user 'admin' created with a temporary password",
                    f"    {password}",
                    "sign in with it, then change it: POST /api/v1/me/password (README, Signing in)",
                ]
            ),
            flush=True,
        )


def _stopped(_signum: int, _frame: object) -> None:
    """The signal uvicorn passes on after its graceful shutdown: nothing is left to do."""


# How `gaoxin serve` runs uvicorn: our own logging; the client address from the proxy headers uvicorn trusts
# (FORWARDED_ALLOW_IPS, by default 127.0.0.1); and no `server: uvicorn` header naming the software.
# The access line is written by our middleware (with the request id): uvicorn's own is not asked for.
SERVE_OPTIONS = {"log_config": None, "proxy_headers": True, "server_header": False, "access_log": False}


def cmd_serve(args: argparse.Namespace) -> int:
    """Migrate, seed what is missing, make sure an admin exists, and serve the API with uvicorn."""
    import uvicorn

    settings = get_settings()
    _announce_admin(asyncio.run(prepare_database(settings)))
    if args.workers > 1 and settings.relay_in_process:
        # Each worker would relay: run `gaoxin relay` beside the workers instead.
        os.environ["GAOXIN_RELAY_IN_PROCESS"] = "false"
        print("several workers: the relay is not started in-process; run `gaoxin relay` beside them")
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then raises the signal again under the handler it
    # found: ours, so that a requested stop that completed cleanly exits 0 rather than dying of the signal.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stopped)
    uvicorn.run(
        "services.api.app:serve_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        **SERVE_OPTIONS,
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
    from domain.integration.handlers.imports import import_ledger
    from domain.integration.ledgers.limits import Deadline
    from infrastructure.excel.reader import read_sheet
    from infrastructure.excel.units import SavepointRows

    settings = get_settings()
    deadline = Deadline(settings.import_max_seconds)
    content = Path(args.file).read_bytes()
    limits = {"max_unpacked": settings.import_max_unpacked_bytes, "deadline": deadline}
    sheet = read_sheet(content, filename=args.file, max_rows=ledgers.MAX_ROWS, **limits)

    def progress(done: int, total: int) -> None:
        deadline.check()
        _count_rows(done, total)

    async with (
        session_factory_for(get_settings()) as factory,
        SqlAlchemyUnitOfWork(factory, actor="cli") as uow,
    ):
        return await import_ledger(
            args.kind,
            sheet,
            uow=uow,
            rows=SavepointRows(uow),
            lookups=uow.ledger_lookups,
            today=SystemClock().today(),
            plan_id=args.plan_id,
            dry_run=args.dry_run,
            partial=args.partial,
            progress=progress,
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


async def _sample():
    from infrastructure.sample import load_sample

    settings = get_settings()
    async with session_factory_for(settings) as factory:
        return await load_sample(
            factory, hasher=hasher_for(settings), today=SystemClock().today(), now=datetime.now(UTC)
        )


def cmd_sample(_args: argparse.Namespace) -> int:
    """Load the labelled sample data set on top of the plan's seed (refused in production)."""
    if get_settings().environment == "production":
        print("gaoxin: the sample data set is refused when GAOXIN_ENVIRONMENT=production", file=sys.stderr)
        return 2
    loaded = asyncio.run(_sample())
    if loaded is None:
        print(
            "the sample data set is loaded already: nothing written (its passwords were shown the first time)"
        )
        return 0
    print(
        "sample data set loaded (labelled 示例): " + ", ".join(f"{k} {v}" for k, v in loaded.counts.items())
    )
    print(
        banner(
            ["sample users — passwords shown this once:"]
            + [
                f"{name:<20} {loaded.roles[name]:<15} {password}"
                for name, password in loaded.passwords.items()
            ]
        ),
        flush=True,
    )
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
    sub.add_parser("sample", help="load a labelled sample data set to try the system").set_defaults(
        func=cmd_sample
    )
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
    add_audit_commands(sub)
    add_report_command(sub)
    add_verify_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValueError as exc:
        print(f"gaoxin: configuration refused: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_style)
    try:
        return args.func(args)
    except DomainError as exc:
        print(f"gaoxin: {exc.en} ({exc.zh})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
