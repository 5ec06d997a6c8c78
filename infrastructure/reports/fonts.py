"""The charts' CJK font: Noto Sans CJK SC subset and renamed, shipped as package data (fonts/README.md)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

FONT_FILE = "GaoxinReportSansSC-Regular.otf"
# Its own name: matplotlib picks fonts by family, and a system's whole Noto Sans CJK SC must not stand in.
FAMILY = "Gaoxin Report Sans SC"
# What the subset lacks (a user's rare character) falls back to matplotlib's own DejaVu Sans.
FAMILIES = [FAMILY, "DejaVu Sans"]


def font_path() -> Path:
    """The bundled font file, wherever the package is installed (a wheel, the image, a checkout)."""
    return Path(str(files("infrastructure.reports") / "fonts" / FONT_FILE))


@cache
def registered() -> list[str]:
    """Register the bundled font with matplotlib once; the font families to draw with, in order."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    return FAMILIES
