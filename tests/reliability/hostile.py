"""Hostile strings for filters and text fields, the rows they are tried against, and the match oracle."""

from __future__ import annotations

import string

from hypothesis import strategies as st

# Control and formatting characters that have broken search and storage layers before.
NUL = "\x00"
MARKS = "\u200e\u200f\u202a\u202b\u202d\u202e\u2066\u2067\u2069\ufeff\u0301"
SPECIAL = "%_\\'\"`;*?[]^$(){}|.+-/<>&#" + NUL + MARKS

TASKS = [  # (code, title)
    ("1.1", "100% 完成率"),
    ("1.2", "a_b 下划线"),
    ("1.3", 'O\'Brien "引号" `反引号`'),
    ("2.1", "back\\slash 反斜杠"),
    ("2.2", "混合 العربية עברית Ελληνικά Кириллица"),
    ("2.3", "RTL\u200f标记\u202e翻转"),
    ("3.1", "普通任务"),
    ("3.2", "ΣΊΣΥΦΟΣ 大写 ÄÖÜ"),
    ("3.3", "percent%underscore_both"),
    ("4.1", "SELECT * FROM tasks; --"),
    ("4.2", "🚀 emoji 表情 [x]"),
    ("5_1", "代码里有下划线"),
]
ENTERPRISES = [  # (name, aliases, cluster)
    ("鞍山100%科技有限公司", ["百分百科技"], "高新科创城"),
    ("a_b 材料股份", ["A_B Materials", "ab材料"], "新经济活力区"),
    ('O\'Neil "光电" 有限公司', [], "总部经济组团"),
    ("back\\slash 软件", ["反斜杠软件"], None),
    ("Ελληνικά ΣΟΦΙΑ 集团", ["Кириллица Групп"], "数字经济产业组团"),
    ("العربية للصناعات", ["RTL\u200f公司"], "新能源产业组团"),
    ("普通企业", [], "高新科创城"),
    ("🚀 火箭动力", ["[rocket]"], None),
]
CHAIN_GROUPS = ["数字经济", "a%b", "x_y", "O'Group"]


def _fragments() -> list[str]:
    """Pieces of the seeded texts, so that many generated filters do match some rows."""
    texts = [t for _, t in TASKS] + [n for n, *_ in ENTERPRISES] + [a for _, al, _ in ENTERPRISES for a in al]
    return sorted({t[i : i + n] for t in texts for n in (1, 2, 4) for i in range(0, len(t), 3)} - {""})


_special = st.text(alphabet=SPECIAL + string.ascii_letters[:6] + "中文Σσ 1", max_size=12)
hostile = st.one_of(
    _special,
    st.text(max_size=30),
    st.sampled_from(_fragments()),
    st.builds(
        lambda a, b, c: a + b + c, st.sampled_from(_fragments()), _special, st.sampled_from(_fragments())
    ),
    st.text(alphabet=SPECIAL + "长", min_size=300, max_size=3000),
)


def ascii_lower(text: str) -> str:
    return "".join(c.lower() if c in string.ascii_uppercase else c for c in text)


def _simple_lower(text: str) -> str:
    # One character for one: what a C library's towlower (PostgreSQL's lower()) does.
    return "".join(c.lower()[0] if c.lower() else c for c in text)


FOLDS = (ascii_lower, str.lower, str.casefold, _simple_lower)


def may_match(q: str, texts: list[str]) -> bool:
    """A case-insensitive substring of one of the texts under some case folding a database may use."""
    return any(fold(q) in fold(t) for t in texts for fold in FOLDS)


def must_match(q: str, texts: list[str]) -> bool:
    """Contained in one of the texts ignoring only ASCII case: every backend must find it."""
    return any(ascii_lower(q) in ascii_lower(t) for t in texts)
