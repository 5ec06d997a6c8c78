"""Regenerate the charts' font: Noto Sans CJK SC Regular, subset to GB 2312 and what the report prints.

    apt-get install -y fonts-noto-cjk      # Debian 12's 1:20220127+repack1-1: Noto Sans CJK 2.004
    .venv/bin/python tools/subset_font.py  # → infrastructure/reports/fonts/GaoxinReportSansSC-Regular.otf

Run by hand when the font is to change, never at build or test time (docs/REPORTS.md). The result is
committed with its licence (infrastructure/reports/fonts/OFL.txt) and README.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FAMILY = "Noto Sans CJK SC"
OUTPUT = Path(__file__).resolve().parents[1] / "infrastructure/reports/fonts/GaoxinReportSansSC-Regular.otf"
# The subset's own name: a machine that has the whole Noto Sans CJK SC installed must not have it chosen in
# the subset's place by name, and the OFL asks a Modified Version to keep clear of the Reserved Font Name.
RENAMED, POSTSCRIPT = "Gaoxin Report Sans SC", "GaoxinReportSansSC-Regular"
# Beyond GB 2312: printable ASCII, Latin-1's signs (× ° ± ·), general punctuation (– — ‘ ’ “ ” … ‰ ※),
# letterlike symbols and number forms (℃ № Ⅰ–Ⅻ), arrows (→ ↑ ↓), mathematical operators (≤ ≥ ≈),
# enclosed numerals (①–⑳), CJK symbols and punctuation, and the full-width forms: names and titles come
# from users, who type these.
EXTRA_RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x2010, 0x205E),
    (0x2100, 0x218F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x2460, 0x24FF),
    (0x2500, 0x257F),
    (0x25A0, 0x25FF),
    (0x3000, 0x303F),
    (0xFE30, 0xFE4F),
    (0xFF01, 0xFF5E),
    (0xFFE0, 0xFFE6),
)


def gb2312() -> set[int]:
    """Every character of GB 2312 (rows 0xA1–0xF7, cells 0xA1–0xFE), through Python's codec."""
    characters: set[int] = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                characters.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue  # an unassigned position
    return characters


def codepoints() -> set[int]:
    """GB 2312 and the extra ranges."""
    extra = {code for first, last in EXTRA_RANGES for code in range(first, last + 1)}
    return gb2312() | extra


def source_font(path: Path, family: str) -> TTFont:
    """The member of a collection (.ttc) whose family is `family`, or the font itself."""
    if path.suffix.lower() != ".ttc":
        return TTFont(path)
    for font in TTCollection(path).fonts:
        if font["name"].getDebugName(1) == family:
            return font
    raise SystemExit(f"{path} has no font named {family!r}")


def rename(font: TTFont) -> None:
    """Name the subset RENAMED (family, full name) and POSTSCRIPT, in the name table and the CFF table."""
    for record in font["name"].names:
        if record.nameID in (1, 4, 16, 21):
            record.string = RENAMED
        elif record.nameID == 3:  # the unique id: version; vendor; name
            record.string = f"{font['head'].fontRevision:.3f};GAOXIN;{POSTSCRIPT}"
        elif record.nameID == 6:
            record.string = POSTSCRIPT
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT]
    cff.topDictIndex[0].FullName = cff.topDictIndex[0].FamilyName = RENAMED


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    font = source_font(args.source, FAMILY)
    wanted = codepoints() & set(font.getBestCmap())
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright, licence and its address (name IDs 0, 13, 14)
    options.name_languages = ["*"]
    options.hinting = (
        False  # matplotlib autohints its text (text.hinting): the font's own hints only add bytes
    )
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    rename(font)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    font.recalcTimestamp = False  # keep the source's date: the same source gives the same bytes
    font.save(args.output)
    digest = hashlib.sha256(args.output.read_bytes()).hexdigest()
    print(f"{args.output}: {len(wanted)} characters, {args.output.stat().st_size} bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
