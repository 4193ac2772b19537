"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters: registration authority (1), organization type (1), administrative division (6),
organization code (9, itself carrying a GB 11714 check character) and a final check character.
The final check character is computed over the first 17 with weights 3^i mod 31.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The 31 characters of the code's alphabet: digits and capitals without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, ...


def uscc_check_character(first17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    if len(code) != 18 or any(char not in ALPHABET for char in code):
        return False
    return uscc_check_character(code[:17]) == code[17]


def validate_uscc(value: str) -> None:
    if len(value) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位。"), code="uscc_length", params={"length": len(value)}
        )
    bad = sorted({char for char in value if char not in ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有无效字符：%(chars)s（只允许数字和除 I、O、S、V、Z 以外的大写字母）。"),
            code="uscc_chars",
            params={"chars": "".join(bad)},
        )
    if not is_valid_uscc(value):
        raise ValidationError(
            _("统一社会信用代码无效：校验位应为 %(expected)s（GB 32100-2015），请核对后重新输入。"),
            code="uscc_check",
            params={"expected": uscc_check_character(value[:17])},
        )
