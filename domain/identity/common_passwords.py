"""Common passwords (常见弱口令): what guessing lists try first, even when it mixes three character classes.

A password is refused when, lower-cased, it is one of COMMON; or when its stem — the password without
the digits and symbols at its ends, with the usual substitutions undone (@→a, 0→o, 1→i, 3→e, $→s …) — is
one of STEMS: Password1!, P@ssw0rd, Admin@123, Qwerty123!, Aa123456 and Abc@1234 all are. Words inside a
longer password (Sun-Shine-2025) are left alone: the length and the classes carry those.
"""

from __future__ import annotations

STEMS = frozenset(
    """
    a aa aaa aaaa ab abab abc abcd abcde abcdef abcdefg abcdefgh q qq qqq qqqq z zz zzz x xx xxx
    qaz qwe qwer qwert qwerty qwertyu qwertyui qwertyuiop asd asdf asdfg asdfgh asdfghjkl zxc zxcv zxcvb
    zxcvbn zxcvbnm qazwsx qweasd qweasdzxc asdzxc
    password passwd passw pass pwd pw admin administrator adm root user users guest test testing tester
    demo temp sample default changeme welcome letmein login logon access secret system sysadmin server
    manager master super superman superuser batman iloveyou love lover monkey dragon football baseball
    sunshine princess shadow michael jordan hello hellokitty freedom whatever trustno starwars computer
    internet office company oracle mysql postgres sa woaini woaiwojia wangluo zhongguo china beijing
    shanghai baidu huawei xiaomi tencent
    """.split()  # noqa: SIM905  (a word list reads better as text)
)

COMMON = frozenset(
    """
    1qaz2wsx 1qazwsx 1qaz@wsx 1qaz!qaz 1q2w3e4r 1q2w3e4r5t 1q2w3e 1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5
    qwe123 qwe123!@# qwe!@#123 qweasd123 zaq12wsx zaq1xsw2 !qaz2wsx !qaz@wsx 1234qwer qwer1234
    abc123 abc123456 abc@123 a123456 a12345678 a1b2c3d4 aa123456 aa12345678 p@ssw0rd p@ssword
    passw0rd password1 password123 admin123 admin@123 admin888 root123 test123 123qwe 123qwe!@#
    123abc 123456a 123456aa 12345678a
    """.split()  # noqa: SIM905
)

LEET = str.maketrans(
    {"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"}
)


def stem(password: str) -> str:
    """The password without the digits and symbols at its ends, its substitutions undone."""
    lowered = password.lower()
    start, end = 0, len(lowered)
    while start < end and not lowered[start].isalpha():
        start += 1
    while end > start and not lowered[end - 1].isalpha():
        end -= 1
    return lowered[start:end].translate(LEET)


def is_common(password: str) -> bool:
    """Whether guessing lists would try this password early."""
    lowered = password.lower()
    return lowered in COMMON or stem(password) in STEMS or not stem(password)
