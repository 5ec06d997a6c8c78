"""`gaoxin audit anchor` and `gaoxin audit verify`: the chain's head written down outside the database,
and the walk that checks the log against it (docs/SECURITY.md, audit log)."""

from __future__ import annotations

import argparse
import asyncio

from domain.identity.audit import Anchor, ChainCheck
from domain.shared.errors import InvalidValue
from infrastructure import audit as audit_chain
from infrastructure.repositories.audit import AuditLogReader
from infrastructure.settings import get_settings
from services.bootstrap import session_factory_for


async def _check(anchor: Anchor | None) -> ChainCheck:
    async with session_factory_for(get_settings()) as factory, factory() as session:
        return await AuditLogReader(session).verify(audit_chain.keyring().keys, anchor)


def _verdict(check: ChainCheck) -> str:
    if check.valid:
        return f"valid: {check.entries} entries"
    where = f" at entry {check.first_broken_id}" if check.first_broken_id else ""
    return f"NOT valid ({check.reason}){where}, after {check.entries} entries"


def cmd_audit_anchor(_args: argparse.Namespace) -> int:
    """Verify the chain and print its head as `<id>:<hash>`, to be kept outside the database."""
    check = asyncio.run(_check(None))
    if not check.valid:
        print(f"gaoxin: the audit log is {_verdict(check)}: no anchor given", flush=True)
        return 1
    if check.head is None:
        print("gaoxin: the audit log is empty: nothing to anchor")
        return 1
    print(check.head)
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Walk the chain (against an anchor, when given); exit 1 when it is not valid."""
    try:
        anchor = Anchor.parse(args.anchor) if args.anchor else None
    except InvalidValue as exc:
        print(f"gaoxin: {exc.en} ({exc.zh})")
        return 2
    check = asyncio.run(_check(anchor))
    print(_verdict(check) + (f"; head {check.head}" if check.head else ""))
    return 0 if check.valid else 1


def add_audit_commands(sub) -> None:
    """The `audit` command group of `gaoxin`."""
    audit = sub.add_parser("audit", help="anchor and verify the audit log").add_subparsers(
        dest="action", required=True
    )
    audit.add_parser("anchor", help="print the chain's head (id:hash) to keep outside").set_defaults(
        func=cmd_audit_anchor
    )
    verify = audit.add_parser("verify", help="walk the chain; exit 1 when it is not valid")
    verify.add_argument(
        "--anchor", help="an earlier `gaoxin audit anchor` output: the log must still hold it"
    )
    verify.set_defaults(func=cmd_audit_verify)
