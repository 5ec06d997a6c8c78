"""Reading what the report wrote, as a person or a program would: the .docx's text, tables, pictures; the
numbers in them; and the numbers an evaluation body holds."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def printed_text(docx: bytes) -> list[str]:
    """Every piece of text the document prints: its body, headers and footers (each w:t, in order)."""
    texts = []
    with zipfile.ZipFile(BytesIO(docx)) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", name):
                root = ElementTree.fromstring(archive.read(name))
                texts.extend(t.text or "" for t in root.iter(f"{W}t"))
    return texts


def numbers_in(text: str) -> list[Decimal]:
    """The numbers a reader sees in a text: runs of digits, with a decimal part ("84.23" is one number)."""
    return [Decimal(n) for n in NUMBER.findall(text)]


def leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def body_numbers(body: Any) -> set[Decimal]:
    """Every number the body holds: its numbers (and a ratio × 100, the document's percent), and the
    numbers written inside its strings (decimal strings, dates, codes, the plan's notes)."""
    found: set[Decimal] = set()
    for leaf in leaves(body):
        if isinstance(leaf, bool) or leaf is None:
            continue
        if isinstance(leaf, int | float):
            value = Decimal(repr(leaf))
            found |= {value.normalize(), (value * 100).normalize()}
        elif isinstance(leaf, str):
            found |= {n.normalize() for n in numbers_in(leaf)}
    return found
