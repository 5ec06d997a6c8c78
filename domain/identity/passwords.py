"""The password policy (口令策略): at least 8 characters from at least three character classes, not
containing the username, and none of the common passwords guessing lists try first."""

from __future__ import annotations

from domain.identity.common_passwords import is_common
from domain.shared.errors import InvalidValue

MIN_LENGTH = 8
MIN_CLASSES = 3


def character_classes(password: str) -> int:
    """Count the classes present: upper case, lower case, digits, symbols."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def check_password_policy(password: str, *, username: str | None = None, field: str = "password") -> None:
    """Refuse a password that breaks the policy, saying why."""
    if len(password) < MIN_LENGTH:
        raise InvalidValue(
            f"the password must have at least {MIN_LENGTH} characters",
            f"口令长度至少为{MIN_LENGTH}个字符",
            field=field,
        )
    if character_classes(password) < MIN_CLASSES:
        raise InvalidValue(
            "the password must mix at least three of: upper case, lower case, digits, symbols",
            "口令须至少包含大写字母、小写字母、数字、符号中的三类",
            field=field,
        )
    if username and username.lower() in password.lower():
        raise InvalidValue("the password must not contain the username", "口令不得包含用户名", field=field)
    if is_common(password):
        raise InvalidValue(
            "the password is too common: guessing lists try it first (Password1!, Admin@123 …)",
            "口令过于常见(如 Password1!、Admin@123),易被猜中,请另设",
            field=field,
        )
