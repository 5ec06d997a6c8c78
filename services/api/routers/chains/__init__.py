"""Routers of the industry chains context (产业链 · 链长制); app.py includes every router in ROUTERS."""

from fastapi import APIRouter

from services.api.routers.chains import chains, chiefs, nodes, targets, views

ROUTERS: list[APIRouter] = [m.router for m in (chains, chiefs, nodes, targets, views)]
