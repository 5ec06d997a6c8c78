"""The sample's departments (the management committee's, as leads of the seeded tasks) and users."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from domain.identity.handlers import accounts
from domain.identity.roles import Role
from infrastructure.seed import planning as seeded_plan

ACTOR = "sample"

# (code, name, the key tasks it leads by chapter, the department it co-operates with there)
DEPARTMENTS = [
    ("SAMPLE-JFJ", "经济发展局（示例）", ["4"], "SAMPLE-TCJ"),
    ("SAMPLE-KCJ", "科技创新局（示例）", ["5", "6"], "SAMPLE-JFJ"),
    ("SAMPLE-TCJ", "投资促进局（示例）", ["7"], "SAMPLE-JFJ"),
    ("SAMPLE-YSJ", "营商环境建设局（示例）", ["8"], "SAMPLE-DZB"),
    ("SAMPLE-GJJ", "规划建设局（示例）", ["9"], None),
    ("SAMPLE-DZB", "党政办公室（示例）", ["10"], None),
]
# One user a role but admin (who exists already); the department user works in 科技创新局（示例）.
USERS = [
    ("sample.planner", Role.PLANNER, "规划处 张工（示例）", None),
    ("sample.department", Role.DEPARTMENT, "科技创新局 李科长（示例）", "SAMPLE-KCJ"),
    ("sample.chief", Role.CHAIN_CHIEF, "分管副主任 王链长（示例）", None),
    ("sample.general", Role.GENERAL_CHIEF, "管委会主任 赵总链长（示例）", None),
    ("sample.officer", Role.OFFICER, "企业管家 陈专员（示例）", None),
    ("sample.auditor", Role.AUDITOR, "审计管理员 刘（示例）", None),
    ("sample.viewer", Role.VIEWER, "园区大脑 观察员（示例）", None),
]


async def already_loaded(uow) -> bool:
    code, name, _, _ = DEPARTMENTS[0]
    return bool(await uow.departments.with_name_or_code(name, code))


async def departments(uow, loaded) -> dict[str, str]:
    """Create the departments; return their ids by code."""
    ids = {}
    for code, name, _, _ in DEPARTMENTS:
        ids[code] = (await accounts.create_department({"name": name, "code": code}, uow=uow)).id
    loaded.counts["departments"] = len(ids)
    return ids


async def users(
    uow, loaded, departments: dict[str, str], *, hasher, now: datetime, password: Callable[[], str]
) -> dict[str, str]:
    """Create one user a role; their passwords go into `loaded`, to be printed once."""
    ids = {}
    for username, role, display_name, department in USERS:
        data = {
            "username": username,
            "password": password(),
            "roles": [role.value],
            "display_name": display_name,
            "department_id": departments.get(department) if department else None,
        }
        ids[username] = (await accounts.create_user(data, uow=uow, hasher=hasher, now=now)).id
        loaded.passwords[username], loaded.roles[username] = data["password"], role.value
    loaded.counts["users"] = len(ids)
    loaded.user_ids = ids
    return ids


async def leads(uow, loaded, departments: dict[str, str]) -> None:
    """Give every seeded task its lead department (牵头) and, where named, a co-operating one (配合)."""
    chapter_lead = {chapter: code for code, _, chapters, _ in DEPARTMENTS for chapter in chapters}
    helper = {code: co for code, _, _, co in DEPARTMENTS}
    plan = await uow.plans.by_title(seeded_plan.load()["plan"]["title"])
    tasks = await uow.tasks.codes_of(plan.id)
    for code, task in tasks.items():
        lead = chapter_lead.get(code.split(".")[0])
        if lead is None:
            continue
        task.lead_department_id = departments[lead]
        task.co_department_ids = [departments[helper[lead]]] if helper[lead] else []
        task.validate()
    await uow.commit()
    loaded.counts["tasks with a lead department"] = len(tasks)
