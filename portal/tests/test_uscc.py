import pytest
from django.core.exceptions import ValidationError

from portal.uscc import is_valid_uscc, validate_uscc

# Real codes published on business licences (check characters verified by hand).
VALID = ["91350100M000100Y43", "91110108551385082Q", "11100000000013127D"]


@pytest.mark.parametrize("code", VALID)
def test_it_accepts_codes_with_correct_check_character(code):
    assert is_valid_uscc(code)
    validate_uscc(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "校验位应为 3"),
        ("91110108551385082A", "校验位应为 Q"),
        ("9111010855138508", "应为18位"),
        ("91110108551385O82Q", "无效字符：O"),
        ("91110108551385082q", "无效字符：q"),
    ],
)
def test_it_rejects_bad_codes_with_a_message_saying_what_is_wrong(code, message):
    assert not is_valid_uscc(code)
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert message in error.value.messages[0]
