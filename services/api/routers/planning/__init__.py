"""Routers of the planning context (规划实施); app.py includes every router in ROUTERS."""

from fastapi import APIRouter

from services.api.routers.planning import indicators, mine, plans, reports, successor, tasks, workflow

ROUTERS: list[APIRouter] = [m.router for m in (plans, successor, tasks, reports, workflow, indicators, mine)]
