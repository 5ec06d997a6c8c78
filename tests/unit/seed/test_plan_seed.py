"""The planning seed (infrastructure/seed/data/plan.yaml) checked against the plan's own text."""

import hashlib
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
PLAN_TEXT = REPO / "docs" / "source" / "plan-2021-2025.txt"
SEED = REPO / "infrastructure" / "seed" / "data" / "plan.yaml"

AREAS = ("经济发展", "产业培育", "双创升级", "开放协同", "生态宜居")
NATURE = {"预期性": "expected", "约束性": "binding"}
CN_DIGITS = "一二三四五六七八九"
CHAPTER = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
SECTION = re.compile(r"^\(([一二三四五六七八九十]+)\)(.+)$")
MEASURE = re.compile(r"^(\d+)、(.+)$")
NEW_ENERGY_FIELDS = ("储能电池领域", "氢能源应用领域", "太阳能应用领域", "新能源汽车领域")


def cn_number(s: str) -> int:
    """一 … 十一 as an int (the plan never goes past 十一)."""
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_DIGITS.index(s[1]) + 1
    return CN_DIGITS.index(s) + 1


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return PLAN_TEXT.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def seed() -> dict:
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def table(lines) -> dict[int, dict]:
    """表1 as printed: 序号 → cells, the area carried down from the first row of each area."""
    start = next(i for i, line in enumerate(lines) if line.startswith("表1"))
    rows, area = {}, None
    for line in lines[start + 1 :]:
        if CHAPTER.match(line):
            break
        cells = [c.strip() for c in line.split("|")]
        while cells and not cells[-1]:
            cells.pop()
        if cells[0] == "序号":
            continue
        # Rows after the first of an area lack the area cell, so everything after 序号 shifts left.
        if len(cells) == 6:
            area = cells[1]
            cells = [cells[0], *cells[2:]]
        assert len(cells) == 5, line
        code, name, baseline, target, nature = cells
        rows[int(code)] = {
            "area": area,
            "name": name,
            "baseline": baseline,
            "target": target,
            "nature": nature,
        }
    return rows


@pytest.fixture(scope="module")
def indicators(seed) -> dict[int, dict]:
    return {ind["code"]: ind for ind in seed["indicators"]}


def walk(nodes, parent=None):
    for node in nodes:
        yield parent, node
        yield from walk(node.get("children", []), node)


# --- the file itself ------------------------------------------------------------------------------------


def test_plan_text_is_the_published_document_kept_in_the_repository():
    # docs/source/README.md: byte-identical to the committee's text, checked by its SHA-256 there.
    digest = hashlib.sha256(PLAN_TEXT.read_bytes()).hexdigest()
    assert digest in (REPO / "docs" / "source" / "README.md").read_text(encoding="utf-8")


def test_seed_loads_with_the_expected_top_level_keys(seed):
    assert set(seed) == {"plan", "indicators", "tasks"}


def test_plan_header_is_the_plans_own(seed, lines):
    plan = seed["plan"]
    text = "\n".join(lines)
    assert f"《{plan['title']}》" in text
    assert (lines[0] + lines[1]).startswith(plan["title"])
    assert plan["issuer"] == lines[2]
    assert (plan["start_year"], plan["end_year"]) == (2021, 2025)
    assert plan["issued"] == "2021-12"
    assert lines[3] == "二零二一年十二月"


# --- indicators: 表1 -------------------------------------------------------------------------------------


def test_table_has_24_rows_in_five_areas(table):
    assert sorted(table) == list(range(1, 25))
    assert tuple(dict.fromkeys(row["area"] for row in table.values())) == AREAS


def test_seed_has_the_24_codes_in_order(seed):
    assert [ind["code"] for ind in seed["indicators"]] == list(range(1, 25))


@pytest.mark.parametrize("code", range(1, 25))
def test_indicator_equals_its_table_row(code, table, indicators):
    row, ind = table[code], indicators[code]
    assert ind["area"] == row["area"]
    assert ind["nature"] == NATURE[row["nature"]]
    expected_baseline = None if row["baseline"] == "-" else row["baseline"]
    assert ind["baseline_value"] == expected_baseline
    if code == 23:
        # The target cell carries the unit: "0.4吨标准煤/万元".
        assert row["target"] == ind["target_value"] + ind["unit"]
    else:
        assert ind["target_value"] == row["target"]
    for value in (ind["baseline_value"], ind["target_value"]):
        assert value is None or (isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value))


@pytest.mark.parametrize("code", [c for c in range(1, 25) if c not in (6, 19, 23)])
def test_name_and_unit_reassemble_the_name_cell(code, table, indicators):
    ind = indicators[code]
    assert f"{ind['name']}({ind['unit']})" == table[code]["name"]
    assert "(" not in ind["name"]


def test_indicator_6_has_no_bracket_and_takes_its_unit_from_the_prose(table, indicators, lines):
    ind = indicators[6]
    assert table[6]["name"] == ind["name"] == "百亿级产业集群"
    assert ind["unit"] == "个"
    assert "形成4个百亿级产业集群" in "\n".join(lines)
    assert ind["note"]


def test_indicator_19_keeps_the_rest_of_its_name_around_the_mid_name_unit(table, indicators):
    ind = indicators[19]
    assert table[19]["name"] == "园区企业在境外设立的研发机构(个)(含离岸孵化器和科技园区)"
    assert ind["unit"] == "个"
    assert ind["name"] == "园区企业在境外设立的研发机构(含离岸孵化器和科技园区)"
    assert ind["name"] == table[19]["name"].replace(f"({ind['unit']})", "", 1)


def test_indicator_23_reads_its_unit_from_the_target_cell_not_the_name(table, indicators):
    ind = indicators[23]
    assert table[23]["name"] == ind["name"] + "(%)"
    assert ind["unit"] == "吨标准煤/万元"
    assert (ind["baseline_value"], ind["target_value"]) == (None, "0.4")
    assert (ind["nature"], ind["direction"]) == ("binding", "down")
    assert ind["note"]


def test_units_7_13_24_are_percent(indicators):
    assert {indicators[c]["unit"] for c in (7, 13, 24)} == {"%"}


def test_23_is_the_only_binding_and_the_only_down(indicators):
    assert [c for c, ind in indicators.items() if ind["nature"] == "binding"] == [23]
    assert [c for c, ind in indicators.items() if ind["direction"] == "down"] == [23]
    assert {ind["nature"] for ind in indicators.values()} == {"expected", "binding"}
    assert {ind["direction"] for ind in indicators.values()} == {"up", "down"}


def test_prose_disagreements_are_noted_not_fixed(indicators, lines):
    text = "\n".join(lines)
    assert "2020年实现地区生产总值95亿元" in text
    assert indicators[2]["baseline_value"] == "95.3"
    assert indicators[2]["note"]
    assert "国家级9家,省级44家" in text
    assert indicators[14]["baseline_value"] == "46"
    assert indicators[14]["note"]


# --- tasks: chapters 四 to 十 -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def headings(lines) -> dict[str, str]:
    """code → heading title for every chapter 四–十, its sections and its numbered measures."""
    found, chapter, section = {}, None, None
    for line in lines[next(i for i, s in enumerate(lines) if s.startswith("四、")) :]:
        if m := CHAPTER.match(line):
            number = cn_number(m.group(1))
            if number > 10:
                break
            chapter, section = str(number), None
            found[chapter] = m.group(2)
        elif m := SECTION.match(line):
            section = f"{chapter}.{cn_number(m.group(1))}"
            found[section] = m.group(2)
        elif (m := MEASURE.match(line)) and section:
            found[f"{section}.{m.group(1)}"] = m.group(2)
    return found


def test_task_codes_are_unique_and_extend_their_parent(seed):
    codes = [node["code"] for _, node in walk(seed["tasks"])]
    assert len(codes) == len(set(codes))
    for parent, node in walk(seed["tasks"]):
        assert isinstance(node["code"], str)
        if parent is not None:
            prefix, _, last = node["code"].rpartition(".")
            assert prefix == parent["code"]
            assert last.isdigit()


def test_children_are_numbered_1_to_n(seed):
    for _, node in walk(seed["tasks"]):
        children = node.get("children", [])
        assert [c["code"].rpartition(".")[2] for c in children] == [
            str(i) for i in range(1, len(children) + 1)
        ]


def test_the_seven_key_tasks_are_chapters_4_to_10(seed, headings):
    roots = seed["tasks"]
    assert [r["code"] for r in roots] == [str(n) for n in range(4, 11)]
    for root in roots:
        assert root["title"] == headings[root["code"]]


def test_every_section_and_measure_heading_is_a_task(seed, headings):
    seeded = {node["code"]: node["title"] for _, node in walk(seed["tasks"])}
    sections = {c: t for c, t in headings.items() if c.count(".") == 1}
    assert len(sections) == 25
    for code, title in headings.items():
        assert seeded.get(code) == title, code


def test_every_task_title_and_description_is_in_the_text(seed, lines):
    text = "\n".join(lines)
    for _, node in walk(seed["tasks"]):
        assert node["title"] in text, node["code"]
        if "description" in node:
            assert node["description"].endswith("。")
            assert node["description"] in text, node["code"]


def test_no_task_beyond_the_headings_except_the_new_energy_fields(seed, headings):
    seeded = {node["code"] for _, node in walk(seed["tasks"])}
    assert seeded - set(headings) == {"4.2.1", "4.2.2", "4.2.3", "4.2.4"}


def test_new_energy_section_has_its_four_fields(seed, lines):
    chapter4 = next(r for r in seed["tasks"] if r["code"] == "4")
    section = next(s for s in chapter4["children"] if s["code"] == "4.2")
    assert section["title"] == "持续提升新能源产业"
    assert [c["title"] for c in section["children"]] == list(NEW_ENERGY_FIELDS)
    assert [c["code"] for c in section["children"]] == ["4.2.1", "4.2.2", "4.2.3", "4.2.4"]
    for field in NEW_ENERGY_FIELDS:
        assert any(line.startswith(field) for line in lines), field


def test_sections_without_measures_or_fields_are_leaves(seed, headings):
    leaves = {node["code"] for _, node in walk(seed["tasks"]) if node["code"].count(".") == 1}
    leaves = {c for c in leaves if not any(h.startswith(c + ".") for h in headings) and c != "4.2"}
    assert leaves == {"5.1", "5.2", "5.3", "5.4", "5.5"}
    for _, node in walk(seed["tasks"]):
        if node["code"] in leaves:
            assert not node.get("children")


def test_tasks_carry_no_invented_dates_or_departments(seed):
    for _, node in walk(seed["tasks"]):
        assert set(node) <= {"code", "title", "description", "children"}


def test_task_counts_per_level(seed):
    levels = [node["code"].count(".") for _, node in walk(seed["tasks"])]
    assert [levels.count(n) for n in range(3)] == [7, 25, 50]
