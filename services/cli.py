"""The `gaoxin` command: migrate, seed, serve (and, as the contexts arrive, users, clients, imports)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from infrastructure.db.engine import make_engine, make_session_factory
from infrastructure.db.mapping import start_mappers
from infrastructure.db.migrate import upgrade
from infrastructure.seed import seed_all
from infrastructure.settings import get_settings
from services.logging_setup import configure_logging


def cmd_migrate(_args: argparse.Namespace) -> int:
    """Bring the database schema to the newest revision."""
    upgrade(get_settings().database_url)
    print("database migrated to head")
    return 0


async def _seed() -> dict[str, int]:
    start_mappers()
    engine = make_engine(get_settings())
    try:
        return await seed_all(make_session_factory(engine))
    finally:
        await engine.dispose()


def cmd_seed(_args: argparse.Namespace) -> int:
    """Load the plan's data set; idempotent."""
    written = asyncio.run(_seed())
    print("seeded: " + (", ".join(f"{k} {v}" for k, v in written.items()) or "nothing to seed"))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Migrate, seed what is missing, and serve the API with uvicorn."""
    import uvicorn

    settings = get_settings()
    upgrade(settings.database_url)
    asyncio.run(_seed())
    uvicorn.run(
        "services.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        proxy_headers=True,
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValueError as exc:
        print(f"gaoxin: configuration refused: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
