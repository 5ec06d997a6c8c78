"""The charts' CJK font: the package's own file (no system font needed), covering GB 2312 and ASCII, with a
glyph for every character any chart of the report draws, shipped with its licence as package data."""

from __future__ import annotations

import copy
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.text import Text

from infrastructure.reports.charts import figure
from infrastructure.reports.fonts import font_path
from infrastructure.reports.series import charts

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def glyphs() -> set[int]:
    return set(TTFont(font_path()).getBestCmap())


def gb2312() -> set[int]:
    found = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def drawn(body) -> set[str]:
    """Every character the body's charts draw: titles, labels, ticks, legends, bar labels."""
    characters: set[str] = set()
    for chart in charts(body):
        fig = figure(chart)
        FigureCanvasAgg(fig).draw()  # ticks and their labels exist once drawn
        for text in fig.findobj(Text):
            if text.get_visible():
                characters |= set(text.get_text())
    return characters - {"\n", " "}


def test_the_font_is_the_packages_own_file_and_charts_use_it(seeded):
    assert font_path().is_file() and font_path().is_relative_to(ROOT / "infrastructure" / "reports")
    figure(charts(seeded)[0])  # sets the charts' style
    # by family: this machine may have the whole Noto Sans CJK SC, the subset's source, installed too
    assert Path(findfont(FontProperties(), fallback_to_default=False)) == font_path()


def test_the_font_covers_gb2312_and_ascii(glyphs):
    assert len(gb2312()) == 7445
    assert gb2312() | set(range(0x20, 0x7F)) <= glyphs


def test_every_character_the_seeded_reports_charts_draw_has_a_glyph(seeded, glyphs):
    characters = drawn(seeded)
    assert {"营", "收", "→", "线", "索", "%"} <= characters  # labels in Chinese were drawn
    assert {c for c in characters if ord(c) not in glyphs} == set()


def test_every_character_the_benchmark_reports_charts_draw_has_a_glyph(stress, glyphs):
    assert {c for c in drawn(stress) if ord(c) not in glyphs} == set()


def test_a_character_outside_the_subset_is_found_missing(seeded, glyphs):
    """The check above can fail: a rare character typed into a chain's name is not in GB 2312."""
    body = copy.deepcopy(seeded)
    body["chains"]["items"][0]["name"] = "𠀋链"  # U+2000B, CJK Extension B: no font of ours has it
    with pytest.warns(UserWarning, match="missing from font"):
        missing = {c for c in drawn(body) if ord(c) not in glyphs}
    assert missing == {"𠀋"}


def test_a_letter_the_subset_lacks_is_drawn_from_matplotlibs_own_font(seeded, glyphs, recwarn):
    body = copy.deepcopy(seeded)
    body["chains"]["items"][0]["name"] = "Ŝ链"  # U+015C: not in the subset, in DejaVu Sans
    assert ord("Ŝ") not in glyphs and "Ŝ" in drawn(body)
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


def test_the_font_ships_as_package_data_with_its_licence():
    folder = font_path().parent
    licence = (folder / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Copyright 2014-2021 Adobe" in licence
    assert "tools/subset_font.py" in (folder / "README.md").read_text(encoding="utf-8")
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = declared["tool"]["setuptools"]["package-data"]["infrastructure.reports"]
    shipped = {p.name for p in folder.iterdir() if any(fnmatch(f"fonts/{p.name}", g) for g in patterns)}
    assert {font_path().name, "OFL.txt", "README.md"} <= shipped
