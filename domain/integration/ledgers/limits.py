"""What one import may cost: the workbook's unpacked size, its blank rows, and its time.

A 0.9 MiB upload can unpack to 300 MiB of blank rows and keep a worker busy for minutes (a zip bomb).
The defaults come from the largest legitimate workbook, measured (docs/SECURITY.md, `bench.ledger_size`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from domain.shared.errors import InvalidValue, TooLarge

MIB = 1024 * 1024


def unpacks_too_large(unpacked: int, limit: int) -> TooLarge:
    """413: the workbook's parts unpack to more than the limit, which no ledger needs."""
    return TooLarge(
        f"the workbook unpacks to {unpacked / MIB:.1f} MiB, over the limit of {limit / MIB:.1f} MiB "
        "(GAOXIN_IMPORT_MAX_UNPACKED_BYTES): split it into several files",
        f"工作簿解压后为 {unpacked / MIB:.1f} MiB,超过 {limit / MIB:.1f} MiB 上限,请拆分为多个文件导入",
    )


def too_many_blank_rows(limit: int) -> InvalidValue:
    """422: more blank rows than a ledger has data rows at most: no ledger, but a way to burn time."""
    return InvalidValue(
        f"the sheet has more than {limit} blank rows; delete them (or split the sheet)",
        f"工作表空白行超过{limit}行,请删除空白行(或拆分工作表)",
        field="file",
    )


class Deadline:
    """The time one import may take (GAOXIN_IMPORT_MAX_SECONDS), checked as it reads and as it writes."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._ends = clock() + seconds

    def check(self, *_progress: object) -> None:
        """Refuse (422, nothing written) once the time is up; usable as an import's progress callback."""
        if self._clock() > self._ends:
            raise InvalidValue(
                f"the import took longer than {self.seconds:g} s (GAOXIN_IMPORT_MAX_SECONDS) and was "
                "stopped, nothing written: split the workbook into smaller files",
                f"导入耗时超过 {self.seconds:g} 秒上限,已中止且未写入任何数据,请拆分为较小的文件",
                field="file",
            )
