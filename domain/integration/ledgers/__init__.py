"""台账 (Excel ledgers): the columns of each kind, and reading a row of cells into field values.

Pure: the reader (infrastructure/excel) hands over a `Sheet` of plain cell values — what Excel holds beyond
them (formulas, error values, the quote before text that looks like one) it settles itself, handing over an
`Unreadable` cell where there is no value; everything that decides what a value means for a column lives
here, so that the rules are tested without a file.
"""

from __future__ import annotations

# The largest sheet an import takes (API.md: ≤ 100,000 rows). Read as `ledgers.MAX_ROWS` at call time, so a
# test can lower it.
MAX_ROWS = 100_000
