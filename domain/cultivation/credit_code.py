"""统一社会信用代码: the unified social credit code of GB 32100-2015 as a value object."""

from __future__ import annotations

from dataclasses import dataclass

from domain.shared.errors import InvalidValue

# The standard's 31 characters: the digits and the capitals without I, O, S, V, Z.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_VALUE = {character: value for value, character in enumerate(CHARSET)}


def check_character(first17: str) -> str:
    """Return the check character GB 32100-2015 gives the first 17 (upper-case, valid) characters."""
    total = sum(_VALUE[character] * weight for character, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


@dataclass(frozen=True, slots=True)
class CreditCode:
    """统一社会信用代码: 18 characters, the last a check character; lower case is accepted and upper-cased.

    Only the character set and the check character are verified: the registration authority, type and
    region codes inside the code are not (the plan's data does not need it and the tables change).
    """

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str):
            raise InvalidValue("credit code must be text", "统一社会信用代码须为文本", field="credit_code")
        raw = self.value.strip()
        if len(raw) != LENGTH:
            raise InvalidValue(
                f"credit code must have 18 characters, got {len(raw)}",
                f"统一社会信用代码须为18位,实际为{len(raw)}位",
                field="credit_code",
            )
        characters = []
        for position, character in enumerate(raw, start=1):
            upper = character.upper()
            if upper not in _VALUE:
                raise InvalidValue(
                    f"character {character!r} at position {position} is not allowed "
                    "(allowed: 0-9 A-H J-N P-R T-U W-Y)",
                    f"第{position}位字符“{character}”不合法(允许:0-9 A-H J-N P-R T-U W-Y)",
                    field="credit_code",
                )
            characters.append(upper)
        code = "".join(characters)
        expected = check_character(code[:17])
        if code[17] != expected:
            raise InvalidValue(
                f"check character (position 18) should be {expected!r}, got {code[17]!r}",
                f"校验码(第18位)应为“{expected}”,实际为“{code[17]}”",
                field="credit_code",
            )
        object.__setattr__(self, "value", code)

    def __str__(self) -> str:
        return self.value
