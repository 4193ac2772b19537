"""Issue 7 bug 9: every letter (portal/letters.py) dates after GB/T 9704-2012 and breaks lines after GB/T 15834."""

import datetime
import re
from itertools import pairwise

import pytest

from portal.letters import CLOSING, OPENING, Grid, Letter, break_lines, register_fonts, render_letter
from portal.tests.pdf_text import pdf_text

PUNCTUATED = (
    "你单位报送的“北京市交通运行监测调度中心（TOCC）三期工程”（建设性质：新建，政府投资2360.00万元）收悉。"
    "依据《北京市信息化促进条例》第十三条，我局进行了审查，意见如下：“同意。”请于10:30前报送；"
    "逾期不报的——视为放弃……如有疑问，请联系（电话：010-12345678）。"
)


def _letter(body, **extra) -> Letter:
    return Letter(
        issuer="北京市经济和信息化局",
        number="京经信审〔2026〕3号",
        title="关于“北京市交通运行监测调度中心（TOCC）三期工程”的审查意见",
        addressee="北京市交通委员会",
        body=body,
        date=datetime.date(2026, 3, 5),
        cc=["北京市发展和改革委员会", "北京市财政局"],
        kind="审查意见书",
        **extra,
    )


def test_the_pdf_dates_the_letter_without_zero_padding():
    text = pdf_text(render_letter(_letter(["同意。"])))
    assert "2026年3月5日" in text  # 成文日期
    assert "2026年3月5日印发" in text  # 版记
    assert "2026年03月" not in text and "3月05日" not in text
    assert "京经信审〔2026〕3号" in text


def test_no_line_of_the_pdf_begins_with_a_closing_mark_or_ends_with_an_opening_one():
    text = pdf_text(render_letter(_letter([PUNCTUATED * 4, Grid([["内容", "意见"], ["需求", PUNCTUATED]], [40, 116])])))
    page_number = re.compile(r"^— \d+ —$")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not page_number.match(line.strip())]
    assert len(lines) > 20
    for line in lines:
        assert line[0] not in CLOSING, line
        assert line[-1] not in OPENING, line


@pytest.mark.parametrize("width", range(120, 460, 7))
def test_numbers_latin_words_and_two_cell_marks_are_never_split(width):
    _, body = register_fonts()
    lines = break_lines(PUNCTUATED, body, 16, width, indent=32)
    assert "".join(lines) == PUNCTUATED
    for before, after in pairwise(lines):
        assert not (before[-1].isdigit() and after[0] in ".,:"), (before, after)
        assert not (before[-1] in ".:-" and after[0].isdigit()), (before, after)
        assert not (before[-1].isascii() and before[-1].isalnum() and after[0].isascii() and after[0].isalnum())
        assert not (before.endswith("—") and after.startswith("—"))
        assert not (before.endswith("…") and after.startswith("…"))
        assert after[0] not in CLOSING and before[-1] not in OPENING
