"""Routers of the enterprise cultivation context (梯度培育); app.py includes every router in ROUTERS."""

from fastapi import APIRouter

from services.api.routers.cultivation import certifications, enterprises, insight, metrics, pools, registry

ROUTERS: list[APIRouter] = [
    enterprises.router,
    certifications.router,
    metrics.router,
    insight.router,
    pools.router,
    registry.router,
]
