"""The registry seed (enterprises.yaml, chains.yaml) checked against the plan's own text."""

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "infrastructure" / "seed" / "data"
PLAN_TEXT = REPO / "docs" / "source" / "plan-2021-2025.txt"

ENTERPRISES = yaml.safe_load((DATA / "enterprises.yaml").read_text(encoding="utf-8"))["enterprises"]
CHAINS = yaml.safe_load((DATA / "chains.yaml").read_text(encoding="utf-8"))["chains"]

# DOMAIN.md §3 "Clusters (一城一区六组团)".
CLUSTERS = (
    "高新科创城",
    "新经济活力区",
    "总部经济组团",
    "环辽科大科创组团",
    "数字经济产业组团",
    "新能源产业组团",
    "能源与装备产业组团",
    "数字与信息产业组团",
)
# Chapter 三 places these by name; no other enterprise is placed in a cluster.
CLUSTER_OF = {
    "聚龙股份": "总部经济组团",
    "九夷锂能": "新能源产业组团",
    "天安集团": "新能源产业组团",
    "宏成电力": "新能源产业组团",
}
# 六(三)3 "鼓励聚龙股份、森远股份、鞍重股份、亚世股份等上市公司…": the only ones the plan calls listed.
LISTED = {"聚龙股份", "森远路桥", "鞍重股份", "亚世光电"}
LISTED_SENTENCE = "鼓励聚龙股份、森远股份、鞍重股份、亚世股份等上市公司"

# DOMAIN.md §3 chains → group (四(一) 数字经济, 四(二) 新能源), and where the plan describes each: the
# paragraph opening with these words (储能电池 also draws its battery materials from 三's 新能源产业组团).
GROUP_OF = {
    "半导体与集成电路": "数字经济",
    "新型基础设施": "数字经济",
    "工业互联网": "数字经济",
    "物联网": "数字经济",
    "新型显示": "数字经济",
    "光器件及智能终端": "数字经济",
    "智能装备": "数字经济",
    "储能电池": "新能源",
    "氢能源应用": "新能源",
    "太阳能应用": "新能源",
    "新能源汽车": "新能源",
}
SOURCES = {name: (f"{name}领域",) for name in GROUP_OF}
SOURCES["储能电池"] = ("储能电池领域", "——新能源产业组团")

STAGES = {"upstream", "midstream", "downstream"}
BASES = {"plan", "reading"}
ROLES = {"leader", "supporting"}
# Facts the plan does not give: the seed must not invent them.
FORBIDDEN_KEYS = {"credit_code", "registered_on", "stock_code", "listed_on"}
ENTERPRISE_KEYS = {"name", "aliases", "cluster", "listed", "mentions"}
CHAIN_KEYS = {"code", "name", "group", "description", "leader_enterprise", "nodes", "targets"}
NODE_KEYS = {"name", "stage", "stage_basis", "children", "enterprises"}
TARGET_KEYS = {"company_name", "node", "note"}
# "重点推进A、B、C等项目建设" and its variants: every A, B, C must be a target of the field.
PROJECT_LIST = re.compile(r"(?:重点推进|重点推动|加快推进)(.+?)等?项目建设")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return PLAN_TEXT.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def flat(lines) -> str:
    """The plan as one string: some sentences are broken over two lines (PDF extraction), e.g. 智能装备's."""
    return "".join(lines)


def paragraph(lines: list[str], opening: str) -> str:
    """The paragraph starting with `opening`, rejoined where the text breaks mid-sentence."""
    start = next(i for i, line in enumerate(lines) if line.startswith(opening))
    text = lines[start]
    i = start
    while not text.endswith("。"):
        i += 1
        text += lines[i]
    return text


def sources(lines: list[str], chain_name: str) -> str:
    return "\n".join(paragraph(lines, opening) for opening in SOURCES[chain_name])


def names_of(enterprise: dict) -> list[str]:
    return [enterprise["name"], *(enterprise.get("aliases") or [])]


def walk(nodes: list[dict]) -> Iterator[dict]:
    for node in nodes or []:
        yield node
        yield from walk(node.get("children"))


def keys_anywhere(value) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from keys_anywhere(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys_anywhere(inner)


def by_name(items: list[dict]) -> list:
    return [pytest.param(item, id=item["name"]) for item in items]


REGISTRY = {e["name"]: e for e in ENTERPRISES}


# ── enterprises.yaml ──────────────────────────────────────────────────────────


def test_the_registry_holds_the_enterprises_the_plan_names_in_the_zone():
    required = {
        "聚龙股份",
        "荣信汇科",
        "荣信兴业",
        "森远路桥",
        "创鑫激光",
        "亚世光电",
        "新光台电子",
        "鞍山飞鑫液晶显示",
        "星空钠电",
        "九夷锂能",
        "中钢集团鞍山热能研究院",
        "宏成电力",
        "天安集团",
        "希思腾科",
        "中新自动控制集团",
        "海汇自动化",
        "维盛自动化",
        "辽宁烽火台科技",
        "大普科技",
        "欧威亚科技",
        "优迅科技",
        "华冶集团",
        "迈格钠",
        "鞍山华科大激光科技",
        "辽宁北斗激光科技",
        "海诺",
        "爱母医疗",
        "鞍重股份",
    }
    assert required <= set(REGISTRY)
    # Companies the zone only courts through a project, and universities, are not registry enterprises.
    assert not {"比亚迪", "宁德时代", "贝特瑞", "三安光电", "鞍钢集团", "辽宁科技大学"} & set(REGISTRY)


@pytest.mark.parametrize("enterprise", by_name(ENTERPRISES))
def test_each_name_and_alias_is_written_so_in_the_plan(enterprise, flat):
    assert set(enterprise) <= ENTERPRISE_KEYS
    for name in names_of(enterprise):
        assert name in flat, name


def test_names_and_aliases_are_unique_across_the_registry():
    counts = Counter(name for e in ENTERPRISES for name in names_of(e))
    assert [name for name, n in counts.items() if n > 1] == []


def test_the_aliases_domain_md_names_belong_to_one_enterprise_each():
    aliases = {e["name"]: set(e.get("aliases") or []) for e in ENTERPRISES}
    assert "聚龙集团" in aliases["聚龙股份"]
    assert "森远股份" in aliases["森远路桥"]
    assert "亚世股份" in aliases["亚世光电"]
    assert "辽宁宏成电力" in aliases["宏成电力"]
    assert "星空能源" in aliases["星空钠电"]
    assert "天安氢能" in aliases["天安集团"]


@pytest.mark.parametrize("enterprise", by_name(ENTERPRISES))
def test_each_mention_is_a_verbatim_quote_naming_the_enterprise(enterprise, flat):
    assert enterprise["mentions"], "every enterprise is in the registry because the plan names it"
    for mention in enterprise["mentions"]:
        where, sep, quote = mention.partition(": ")
        assert sep and where.strip() and quote, mention
        assert quote in flat, quote
        assert any(name in quote for name in names_of(enterprise)), quote


def test_exactly_the_four_the_plan_calls_listed_are_listed():
    listed = {e["name"] for e in ENTERPRISES if e.get("listed")}
    assert listed == LISTED
    assert all(isinstance(e.get("listed", False), bool) for e in ENTERPRISES)


def test_the_listed_are_the_ones_in_the_plans_listed_sentence(flat):
    assert LISTED_SENTENCE in flat
    for name in LISTED:
        assert any(n in LISTED_SENTENCE for n in names_of(REGISTRY[name])), name


def test_clusters_only_where_chapter_san_places_the_enterprise(lines):
    placed = {e["name"]: e["cluster"] for e in ENTERPRISES if e.get("cluster")}
    assert placed == CLUSTER_OF
    for name, cluster in placed.items():
        assert cluster in CLUSTERS
        text = paragraph(lines, f"——{cluster}")
        assert any(n in text for n in names_of(REGISTRY[name])), name


@pytest.mark.parametrize("path", ["enterprises.yaml", "chains.yaml"])
def test_no_invented_codes_or_dates(path):
    seed = yaml.safe_load((DATA / path).read_text(encoding="utf-8"))
    assert FORBIDDEN_KEYS.isdisjoint(keys_anywhere(seed))


# ── chains.yaml ───────────────────────────────────────────────────────────────


def test_every_chain_of_chapter_si_is_seeded_in_its_group():
    assert {c["name"]: c["group"] for c in CHAINS} == GROUP_OF
    codes = [c["code"] for c in CHAINS]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", code) for code in codes)


@pytest.mark.parametrize("chain", by_name(CHAINS))
def test_description_is_the_plans_own_text(chain, lines):
    assert set(chain) <= CHAIN_KEYS  # no chiefs: a seeded chain has none
    assert chain["description"] in sources(lines, chain["name"])


@pytest.mark.parametrize("chain", by_name(CHAINS))
def test_nodes_are_the_plans_words_unique_and_staged(chain, lines):
    nodes = list(walk(chain["nodes"]))
    assert nodes
    names = [n["name"] for n in nodes]
    assert len(set(names)) == len(names)
    text = sources(lines, chain["name"])
    for node in nodes:
        assert set(node) <= NODE_KEYS
        assert node["name"] in text, node["name"]
        assert node["stage"] in STAGES, node["name"]
        assert node["stage_basis"] in BASES, node["name"]


@pytest.mark.parametrize("chain", by_name(CHAINS))
def test_a_stage_taken_from_the_plan_is_said_in_the_nodes_own_sentence(chain, lines):
    sentences = sources(lines, chain["name"]).replace("\n", "。").split("。")
    for node in walk(chain["nodes"]):
        if node["stage_basis"] != "plan":
            continue
        word = {"upstream": "上游", "downstream": "下游"}.get(node["stage"])
        assert word, f"the plan says no 中游: {node['name']}"
        assert any(node["name"] in s and word in s for s in sentences), node["name"]


def test_the_plans_own_up_and_downstream_words_are_used():
    basis = {(c["name"], n["name"]): n["stage_basis"] for c in CHAINS for n in walk(c["nodes"])}
    for name in ("功能材料", "光学薄膜", "柔性衬底"):
        assert basis[("新型显示", name)] == "plan"
    for name in ("配套零部件", "动力电池", "驱动电机", "电控系统", "自动驾驶系统"):
        assert basis[("新能源汽车", name)] == "plan"
    assert basis[("智能装备", "系统集成和整体解决方案")] == "plan"


@pytest.mark.parametrize("chain", by_name(CHAINS))
def test_links_name_registry_enterprises_the_field_names(chain, lines):
    text = sources(lines, chain["name"])
    for node in walk(chain["nodes"]):
        linked = [link["name"] for link in node.get("enterprises") or []]
        assert len(set(linked)) == len(linked), node["name"]
        for link in node.get("enterprises") or []:
            assert link["name"] in REGISTRY, link["name"]  # the registry name, not an alias
            assert link["role"] in ROLES
            assert any(n in text for n in names_of(REGISTRY[link["name"]])), link["name"]


def test_the_links_the_plan_states():
    links = {
        (c["name"], n["name"], link["name"]): link["role"]
        for c in CHAINS
        for n in walk(c["nodes"])
        for link in n.get("enterprises") or []
    }
    assert links[("储能电池", "锂离子电池", "九夷锂能")] == "leader"
    assert links[("储能电池", "钠离子电池", "星空钠电")] == "leader"
    assert links[("氢能源应用", "工业副产氢", "天安集团")] == "leader"
    assert links[("新能源汽车", "新能源全铝上装环保车", "海诺")] == "leader"
    assert links[("物联网", "物联网工程", "希思腾科")] == "leader"
    for name in ("亚世光电", "新光台电子", "鞍山飞鑫液晶显示"):
        assert links[("新型显示", "液晶显示模组及显示屏", name)] == "leader"
    for name in ("中新自动控制集团", "海汇自动化", "维盛自动化"):
        assert links[("工业互联网", "高端工业软件", name)] == "leader"
    # "支持…等企业搭建…工业互联网平台": not called 龙头 there.
    assert links[("工业互联网", "工业互联网平台", "聚龙股份")] == "supporting"


@pytest.mark.parametrize("chain", by_name(CHAINS))
def test_leader_enterprise_only_where_the_plan_calls_one_the_longtou(chain, flat, lines):
    leader = chain["leader_enterprise"]
    if leader is None:
        return
    assert leader in REGISTRY
    names = names_of(REGISTRY[leader])
    assert any(n in sources(lines, chain["name"]) for n in names)
    assert any("龙头" in s and any(n in s for n in names) for s in flat.split("。"))


def test_only_hydrogen_has_a_single_longtou():
    assert {c["name"]: c["leader_enterprise"] for c in CHAINS if c["leader_enterprise"]} == {
        "氢能源应用": "天安集团"
    }


@pytest.mark.parametrize("chain", by_name(CHAINS))
def test_targets_quote_the_plan_and_point_at_the_chains_nodes(chain, flat):
    nodes = {n["name"] for n in walk(chain["nodes"])}
    targets = chain["targets"]
    assert targets
    companies = [t["company_name"] for t in targets]
    assert len(set(companies)) == len(companies)
    for target in targets:
        assert set(target) == TARGET_KEYS
        assert target["company_name"] in flat, target["company_name"]
        assert target["note"] in flat, target["note"]
        assert target["company_name"] in target["note"]
        assert target["node"] is None or target["node"] in nodes, target["node"]


@pytest.mark.parametrize("chain", by_name(CHAINS))
def test_every_project_the_field_lists_is_a_target(chain, lines):
    companies = [t["company_name"] for t in chain["targets"]]
    for sentence in paragraph(lines, SOURCES[chain["name"]][0]).split("。"):
        for listed in PROJECT_LIST.findall(sentence):
            for project in listed.split("、"):
                assert any(project in company for company in companies), project


def test_the_projects_named_in_the_brief_are_targets():
    targets = {(c["name"], t["company_name"]): t["node"] for c in CHAINS for t in c["targets"]}
    assert targets[("半导体与集成电路", "中科鞍镓半导体产业园")] == "第三代半导体"
    assert targets[("新能源汽车", "比亚迪集团动力电池")] == "动力电池"
    assert targets[("新能源汽车", "宁德时代动力电池")] == "动力电池"
    assert targets[("储能电池", "星空能源钠电池产业园")] == "钠离子电池"
    assert ("氢能源应用", "天安集团氢能产业园") in targets
