"""Schemas of industry chains: chains, chiefs, nodes, links, maps, targets and their statistics."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from domain.chains.nodes import NodeLinkRole, Stage
from domain.chains.targets import TargetStage
from services.api.schemas.base import AmountIn, DecimalStr, ReadModel, WriteModel


class ChainIn(WriteModel):
    code: str | None = Field(default=None, max_length=64)
    name: str = Field(min_length=1, max_length=200, description="产业链名称")
    group: str | None = Field(default=None, max_length=64, description="数字经济, 新能源 …")
    description: str | None = None
    leader_enterprise_id: str | None = Field(default=None, description="链主企业 (a registered enterprise)")


class ChainPatch(WriteModel):
    code: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    group: str | None = Field(default=None, max_length=64)
    description: str | None = None
    leader_enterprise_id: str | None = None


class ChainOut(ReadModel):
    id: str
    code: str | None = None
    name: str
    group: str | None = None
    description: str | None = None
    leader_enterprise_id: str | None = None


class ChiefIn(WriteModel):
    user_id: str = Field(min_length=1, max_length=32)
    since: dt.date | None = Field(default=None, description="first day in office; today when omitted")


class ChiefOut(ReadModel):
    id: str
    chain_id: str | None = Field(description="null for the general chief (总链长)")
    user_id: str
    since: dt.date
    until: dt.date | None = Field(description="the first day no longer in office; null while active")


class NodeIn(WriteModel):
    name: str = Field(min_length=1, max_length=200, description="环节名称")
    stage: Stage = Field(description="上游 upstream / 中游 midstream / 下游 downstream")
    parent_id: str | None = None


class NodePatch(WriteModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    stage: Stage | None = None
    parent_id: str | None = Field(default=None, description="null makes the node a root")


class NodeOut(ReadModel):
    id: str
    chain_id: str
    name: str
    stage: Stage
    parent_id: str | None = None


class LinkIn(WriteModel):
    enterprise_id: str = Field(min_length=1, max_length=32)
    role: NodeLinkRole = Field(description="龙头 leader / 配套 supporting")


class LinkOut(ReadModel):
    id: str
    node_id: str
    enterprise_id: str
    role: NodeLinkRole


class MapEnterpriseOut(ReadModel):
    id: str
    name: str
    role: NodeLinkRole
    cluster: str | None = None


class MapNodeOut(ReadModel):
    id: str
    name: str
    stage: Stage
    parent_id: str | None = None
    gap: bool = Field(description="a leaf without a linked active enterprise (缺失环节)")
    enterprises: list[MapEnterpriseOut]


class RoadmapNodeOut(ReadModel):
    id: str
    name: str
    parent_id: str | None = None
    depth: int


class RoadmapStageOut(ReadModel):
    stage: Stage
    nodes: list[RoadmapNodeOut]


class ApplicationFieldOut(ReadModel):
    node_id: str
    name: str
    gap: bool
    enterprises: list[MapEnterpriseOut]


class ClusterCountOut(ReadModel):
    cluster: str | None = None
    label: str
    count: int
    enterprise_ids: list[str]


class ChainMapOut(ReadModel):
    chain: ChainOut
    coverage: float = Field(description="covered leaves / leaves, 0 without leaves")
    gaps: list[str] = Field(description="ids of the gap nodes")
    nodes: list[MapNodeOut]
    technology_roadmap: list[RoadmapStageOut] = Field(description="技术路线图: nodes by stage, with depth")
    application_fields: list[ApplicationFieldOut] = Field(description="应用领域图: the downstream leaves")
    cluster_distribution: list[ClusterCountOut] = Field(description="区域分布图: active enterprises by 组团")


class TargetIn(WriteModel):
    company_name: str = Field(min_length=1, max_length=300)
    node_id: str | None = None
    planned_investment: AmountIn | None = Field(
        default=None, ge=0, description="万元; a number or a decimal string"
    )
    contact: str | None = Field(default=None, max_length=300)
    note: str | None = None
    stage_date: dt.date | None = Field(
        default=None,
        description="YYYY-MM-DD, the day the target entered `lead` (today by default): a target courted "
        "since 2024 is entered with its real dates; later stages may not precede it",
    )


class TargetPatch(WriteModel):
    company_name: str | None = Field(default=None, min_length=1, max_length=300)
    node_id: str | None = None
    planned_investment: AmountIn | None = Field(default=None, ge=0)
    contact: str | None = Field(default=None, max_length=300)
    note: str | None = None


class StageEntryOut(ReadModel):
    stage: TargetStage
    date: dt.date
    note: str | None = None


class TargetOut(ReadModel):
    id: str
    chain_id: str
    company_name: str
    node_id: str | None = None
    planned_investment: DecimalStr | None = None
    contact: str | None = None
    note: str | None = None
    stage: TargetStage
    enterprise_id: str | None = Field(
        default=None, description="the registered enterprise, once in production"
    )
    stage_history: list[StageEntryOut]


class StageMoveIn(WriteModel):
    stage: TargetStage
    date: dt.date
    note: str | None = None


class EnteredOut(ReadModel):
    lead: int
    negotiating: int
    signed: int
    under_construction: int
    in_production: int
    dropped: int


class ChainStatsOut(ReadModel):
    chain_id: str
    name: str
    coverage: float
    gaps: int = Field(description="how many gaps (缺失环节) the chain has now")
    entered: EnteredOut = Field(description="targets that entered each stage in the year (招商考核)")
