"""A probe router mounted only in tests: it exercises the shared HTTP conventions through real requests."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import text

from domain.shared.errors import IllegalTransition, InvalidValue, NotFound
from services.api.deps import UowDep
from services.api.etag import IfMatch, etag_of, with_etag
from services.api.pagination import PageDep
from services.api.schemas.base import WriteModel

router = APIRouter(prefix="/api/v1/probe")
NAMES = [f"item-{i:03d}" for i in range(120)]
STORE: dict[str, dict] = {}


class ItemIn(WriteModel):
    name: str
    count: int


class ItemPatch(WriteModel):
    name: str


@router.post("/items", status_code=201)
async def create_item(body: ItemIn) -> dict:
    if body.name == "conflict":
        raise IllegalTransition("cannot go there", "不能这样流转")
    if body.name == "negative":
        raise InvalidValue("count must be positive", "数量须为正数", field="count")
    if body.name == "crash":
        raise RuntimeError("password=hunter2 in a stack trace")
    return {"id": body.name, **body.model_dump()}


@router.get("/items")
async def list_items(page: PageDep, prefix: str = "") -> dict:
    filters = {"prefix": prefix}
    after = page.after(filters)
    matching = [n for n in NAMES if n.startswith(prefix) and (after is None or n > after[0])]
    rows = matching[: page.limit + 1]
    items = [{"id": n, "etag": etag_of({"id": n})} for n in rows]
    return page.page(rows, items, key=lambda n: [n], filters=filters)


@router.get("/items/{item_id}")
async def get_item(item_id: str, response: Response) -> dict:
    if item_id not in STORE:
        raise NotFound(f"no item {item_id}", f"条目 {item_id} 不存在")
    return with_etag(response, STORE[item_id])


@router.patch("/items/{item_id}")
async def patch_item(item_id: str, body: ItemPatch, if_match: IfMatch, response: Response) -> dict:
    current = STORE.get(item_id) or {"id": item_id, "name": "first"}
    if_match.check(etag_of(current))
    STORE[item_id] = {"id": item_id, "name": body.name}
    return with_etag(response, STORE[item_id])


@router.get("/database")
async def touch_database(uow: UowDep) -> dict:
    return {"one": (await uow.session.execute(text("SELECT 1"))).scalar_one()}
