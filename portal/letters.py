"""Official letters as PDF, laid out after GB/T 9704-2012 (党政机关公文格式) where a portal can.

Every letter the portal issues — review opinions, disclosure replies, grading certificates, penalty
notices and decisions — is a `Letter` rendered by `render_letter`, so they share one layout:

- 版头: the issuing authority in red (小标宋-style title font), the document number (发文字号)
  centred below it, and the red separator line;
- 标题 centred, 主送机关 flush left followed by a full-width colon, 正文 in the body font
  (3号, 16 pt) with a two-character first-line indent;
- 署名 and 成文日期 at the right with room for the seal (印章) over them; dates without zero
  padding ("2026年3月5日", `chinese_date`);
- 版记: 抄送 between two rules, then the printing authority and date;
- page numbers "— 1 —" at the foot;
- no line begins with a closing punctuation mark and none ends with an opening one (the
  line-breaking rule of GB/T 15834 that GB/T 9704 relies on); numbers ("2360.00"), Latin words and
  the two-cell marks —— and …… are never split; after an unbreakable word a closing mark hangs at
  the line end (标点悬挂) rather than start the next line. `break_lines` does the breaking, so it is
  the same everywhere and tested once;
- the file name comes from the document number (`letter_filename`).

Fonts: a free 仿宋/小标宋 font is not packaged in Debian as TrueType (FandolFang is CFF-based
OpenType, which reportlab cannot embed), so the default is the embedded WenQuanYi Micro Hei for
both; `PDF_TITLE_FONT_PATH` / `PDF_BODY_FONT_PATH` point at other TrueType fonts where a
licensed 方正小标宋 / 仿宋_GB2312 is installed.
"""

from __future__ import annotations

import datetime
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.language import in_site_language

RED = colors.HexColor("#c00000")
BODY_FONT = "PortalLetterBody"
TITLE_FONT = "PortalLetterTitle"
# GB/T 9704-2012 §5.2: A4, type area 156 mm × 225 mm, top margin 37 mm, left 28 mm.
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 28 * mm, 26 * mm, 37 * mm, 35 * mm
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
BODY_SIZE = 16  # 3号
TITLE_SIZE = 22  # 2号
ISSUER_SIZE = 30
SMALL_SIZE = 14  # 4号 (版记, page numbers)
LEADING = 28.9  # 22 lines on the 225 mm type area

# Marks that may not begin a line (closing) and may not end one (opening), GB/T 15834-2011 §5.1.
CLOSING = "，。、；：！？）》」』】〕〉”’…—·%,.;:!?)]}"
OPENING = "（《「『【〔〈“‘([{"


class CJKFontMissing(RuntimeError):
    """The configured CJK font file is absent: the letter cannot be produced legibly."""


def chinese_date(day: datetime.date | datetime.datetime) -> str:
    """GB/T 9704-2012 §7.3.5.1: Arabic numerals, year in full, month and day without zero padding."""
    return f"{day.year}年{day.month}月{day.day}日"


def letter_filename(number: str, kind: str) -> str:
    """The file name of a letter: its document number and kind, e.g. "京经信审〔2026〕3号 审查意见书.pdf"."""
    name = f"{number} {kind}".strip() if number else kind
    return "".join("_" if c in '\\/:*?"<>|\r\n' else c for c in name) + ".pdf"


def content_disposition(filename: str, *, inline: bool = True) -> str:
    """A Content-Disposition header carrying a Chinese file name (RFC 6266 / RFC 5987)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _register(name: str, path: str, subfont: int) -> None:
    if name in pdfmetrics.getRegisteredFontNames():
        return
    file = Path(path)
    if not file.is_file():
        raise CJKFontMissing(
            f"生成公文需要中文字体文件 {file}，但服务器上没有找到。"
            "请安装字体：sudo apt-get install -y fonts-wqy-microhei"
            "（或设置 PDF_CJK_FONT_PATH 指向一个 TrueType 中文字体）。"
        )
    pdfmetrics.registerFont(TTFont(name, str(file), subfontIndex=subfont))


def register_fonts() -> tuple[str, str]:
    """Register the title and body fonts; returns their names (title, body).

    The names carry the file path, so a changed setting registers (and checks) the new file."""
    default = settings.PDF_CJK_FONT_PATH
    subfont = settings.PDF_CJK_FONT_SUBFONT_INDEX
    names = []
    for base, path in (
        (TITLE_FONT, getattr(settings, "PDF_TITLE_FONT_PATH", "") or default),
        (BODY_FONT, getattr(settings, "PDF_BODY_FONT_PATH", "") or default),
    ):
        name = f"{base}-{zlib.crc32(f'{path}#{subfont}'.encode()):08x}"
        _register(name, path, subfont)
        names.append(name)
    return names[0], names[1]


def break_lines(text: str, font: str, size: float, width: float, *, indent: float = 0) -> list[str]:
    """Break `text` into lines no wider than `width`, keeping the punctuation rule: a closing mark
    never begins a line (it pulls the previous character down with it), an opening mark never ends
    one. Latin words and numbers are not split. `indent` is the first line's indent."""
    lines: list[str] = []
    for paragraph in (text or "").split("\n"):
        lines.extend(_break_paragraph(paragraph, font, size, width, indent))
    return lines


# Inside a Latin word or a number these stay with their neighbours: "2360.00", "1,000", "10:30", "GB/T".
_JOINERS = ".,:/-"
# Marks that take two character cells and are never split across lines (GB/T 15834-2011 §4.13, §4.14).
_PAIRS = ("——", "……")


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _tokens(text: str) -> list[str]:
    """Characters, except that Latin words and numbers (with their inner joiners) and the two-cell marks
    (——, ……) stay together."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        pair = text[i : i + 2]
        if pair in _PAIRS:
            out.append(pair)
            i += 2
            continue
        glued = out and out[-1] and _latin(out[-1][-1])
        if glued and _latin(char):
            out[-1] += char
        elif glued and char in _JOINERS and i + 1 < len(text) and _latin(text[i + 1]):
            out[-1] += char + text[i + 1]
            i += 1
        else:
            out.append(char)
        i += 1
    return out


def _break_paragraph(text: str, font: str, size: float, width: float, indent: float) -> list[str]:
    tokens = _tokens(text)
    lines: list[list[str]] = [[]]
    used = indent
    for token in tokens:
        w = pdfmetrics.stringWidth(token, font, size)
        if used + w > width + 0.01 and lines[-1]:
            lines.append([])
            used = 0
        lines[-1].append(token)
        used += w
    # Fix the breaks: move characters down until no line starts with a closing mark or ends with an
    # opening one. Moving down only shortens the earlier line, so every line still fits.
    for i in range(1, len(lines)):
        if lines[i] and lines[i][0][0] in CLOSING:
            moved = 0
            while lines[i][0][0] in CLOSING and len(lines[i - 1]) > 1:
                lines[i].insert(0, lines[i - 1].pop())
                moved += 1
            if lines[i][0][0] in CLOSING:
                # The line above is one unbreakable word: the marks hang at its end (标点悬挂) instead.
                for _ in range(moved):
                    lines[i - 1].append(lines[i].pop(0))
                while lines[i] and lines[i][0][0] in CLOSING:
                    lines[i - 1].append(lines[i].pop(0))
        while lines[i - 1] and lines[i - 1][-1][-1] in OPENING and len(lines[i - 1]) > 1:
            lines[i].insert(0, lines[i - 1].pop())
    # A moved character can overfill the next line: re-break the rest from there (it is shorter
    # than the whole, so this ends). Hanging closing marks do not count.
    result = ["".join(line) for line in lines if line]
    for i in range(1, len(result)):
        if pdfmetrics.stringWidth(result[i].rstrip(CLOSING), font, size) > width + 0.01 and len(result[i]) > 1:
            return result[:i] + _break_paragraph("".join(result[i:]), font, size, width, 0)
    return result or [""]


@dataclass
class Heading:
    """A level-one heading inside the body (一、……), set in the title font."""

    text: str


@dataclass
class Grid:
    """A table in the body: header row first; widths in millimetres adding up to at most 156."""

    rows: list[list[str]]
    widths_mm: list[float]


@dataclass
class Letter:
    issuer: str  # 发文机关 (版头 and 署名)
    number: str  # 发文字号, e.g. 京经信审〔2026〕3号
    title: str  # 标题
    addressee: str  # 主送机关
    body: list[str | Heading | Grid]
    date: datetime.date  # 成文日期
    cc: list[str] = field(default_factory=list)  # 抄送机关
    kind: str = "公文"  # for the file name and PDF metadata, e.g. 审查意见书
    printed_by: str = ""  # 印发机关; the issuer if empty
    note: str = ""  # a line under the 版记, e.g. how to verify the letter

    @property
    def filename(self) -> str:
        return letter_filename(self.number, self.kind)


class Rule(Flowable):
    """A horizontal rule across the type area (the red separator, the 版记 rules)."""

    def __init__(self, color=colors.black, thickness: float = 0.5, width: float = TEXT_WIDTH):
        super().__init__()
        self.color, self.thickness, self.width = color, thickness, width

    def wrap(self, available_width, available_height):
        return self.width, self.thickness + 2

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, 1, self.width, 1)


class Lines(Flowable):
    """Text drawn line by line as `break_lines` broke it (so the punctuation rule holds in the PDF)."""

    def __init__(self, lines: list[str], font: str, size: float, leading: float, indent: float = 0, align=TA_LEFT):
        super().__init__()
        self.lines, self.font, self.size, self.leading, self.indent, self.align = (
            lines,
            font,
            size,
            leading,
            indent,
            align,
        )

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.leading * len(self.lines)

    def split(self, available_width, available_height):
        fits = int(available_height // self.leading)
        if fits <= 0 or fits >= len(self.lines):
            return []
        head = Lines(self.lines[:fits], self.font, self.size, self.leading, self.indent, self.align)
        tail = Lines(self.lines[fits:], self.font, self.size, self.leading, 0, self.align)
        return [head, tail]

    def draw(self):
        canvas = self.canv
        canvas.setFont(self.font, self.size)
        canvas.setFillColor(colors.black)
        y = self.leading * len(self.lines) - self.size
        for i, line in enumerate(self.lines):
            x = self.indent if i == 0 else 0
            if self.align == TA_CENTER:
                canvas.drawCentredString(self.width / 2, y, line)
            elif self.align == TA_RIGHT:
                canvas.drawRightString(self.width - 4 * self.size, y, line)  # 右空四字 (§7.3.5.2)
            else:
                canvas.drawString(x, y, line)
            y -= self.leading


def _paragraph(text: str, font: str, *, size: float = BODY_SIZE, indent_chars: int = 2, align=TA_LEFT) -> Lines:
    indent = indent_chars * size
    return Lines(break_lines(text, font, size, TEXT_WIDTH, indent=indent), font, size, LEADING, indent, align)


def _cell(text: str, font: str, width: float, size: float = 12) -> Paragraph:
    lines = break_lines(text, font, size, width - 4)
    style = ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.5)
    return Paragraph("<br/>".join(escape(line) for line in lines), style)


def _page_number(canvas, doc) -> None:
    # GB/T 9704-2012 §7.5: 4号 Arabic numerals between dashes, outside edge (right on odd pages).
    canvas.saveState()
    canvas.setFont(doc.body_font, SMALL_SIZE)
    text = f"— {doc.page} —"
    y = BOTTOM - 14 * mm
    if doc.page % 2:
        canvas.drawRightString(PAGE_WIDTH - RIGHT - SMALL_SIZE, y, text)
    else:
        canvas.drawString(LEFT + SMALL_SIZE, y, text)
    canvas.restoreState()


def letter_story(letter: Letter) -> list:
    title_font, body_font = register_fonts()
    issuer_style = ParagraphStyle(
        "issuer", fontName=title_font, fontSize=ISSUER_SIZE, leading=ISSUER_SIZE * 1.3, alignment=TA_CENTER
    )
    issuer_style.textColor = RED
    story: list = [
        Paragraph(escape(letter.issuer), issuer_style),
        Spacer(1, 10 * mm),
        Lines([letter.number], body_font, BODY_SIZE, LEADING, align=TA_CENTER),
        Spacer(1, 2 * mm),
        Rule(RED, 1.2),  # 版头中的分隔线 (§7.2.5): red, the width of the type area
        Spacer(1, 2 * LEADING - 4 * mm),
    ]
    title_lines = break_lines(letter.title, title_font, TITLE_SIZE, TEXT_WIDTH - 2 * TITLE_SIZE)
    story.append(Lines(title_lines, title_font, TITLE_SIZE, TITLE_SIZE * 1.6, align=TA_CENTER))
    story.append(Spacer(1, LEADING - BODY_SIZE))
    story.append(_paragraph(f"{letter.addressee}：", body_font, indent_chars=0))
    for block in letter.body:
        if isinstance(block, Heading):
            story.append(_paragraph(block.text, title_font))
        elif isinstance(block, Grid):
            widths = [w * mm for w in block.widths_mm]
            rows = [[_cell(text, body_font, widths[i]) for i, text in enumerate(row)] for row in block.rows]
            table = Table(rows, colWidths=widths, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                    ]
                )
            )
            story += [Spacer(1, 2 * mm), table, Spacer(1, 3 * mm)]
        else:
            story.append(_paragraph(block, body_font))
    # 署名 and 成文日期 (§7.3.5.2): the date 右空四字, the issuer centred above it; the seal goes over
    # both, so two blank lines are kept above them.
    date_text = chinese_date(letter.date)
    date_width = pdfmetrics.stringWidth(date_text, body_font, BODY_SIZE)
    issuer_width = pdfmetrics.stringWidth(letter.issuer, body_font, BODY_SIZE)
    centre_from_right = 4 * BODY_SIZE + date_width / 2
    pad = max(centre_from_right - issuer_width / 2, 0)
    signature = [
        Spacer(1, 2 * LEADING),
        SignatureLine(letter.issuer, body_font, pad),
        SignatureLine(date_text, body_font, 4 * BODY_SIZE, testid="date"),
    ]
    story.append(KeepTogether(signature))
    # 版记 (§7.4): 抄送 between rules at the foot of the letter, then the printing line.
    record = [Spacer(1, 3 * LEADING), Rule(colors.black, 0.7)]
    if letter.cc:
        cc_text = "抄送：" + "，".join(letter.cc) + "。"
        record.append(
            Lines(break_lines(cc_text, body_font, SMALL_SIZE, TEXT_WIDTH - SMALL_SIZE), body_font, SMALL_SIZE, 22)
        )
        record.append(Rule(colors.black, 0.35))
    printed = f"{letter.printed_by or letter.issuer}"
    record.append(PrintLine(printed, f"{chinese_date(letter.date)}印发", body_font))
    record.append(Rule(colors.black, 0.7))
    if letter.note:
        record.append(Lines(break_lines(letter.note, body_font, 10, TEXT_WIDTH), body_font, 10, 15))
    story.append(KeepTogether(record))
    return story


class SignatureLine(Flowable):
    """One right-aligned line of the signature block, `right` points from the right edge."""

    def __init__(self, text: str, font: str, right: float, testid: str = ""):
        super().__init__()
        self.text, self.font, self.right = text, font, right

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, LEADING

    def draw(self):
        self.canv.setFont(self.font, BODY_SIZE)
        self.canv.drawRightString(self.width - self.right, LEADING - BODY_SIZE, self.text)


class PrintLine(Flowable):
    """印发机关 flush left and 印发日期 flush right, one character in from each edge (§7.4.3)."""

    def __init__(self, left: str, right: str, font: str):
        super().__init__()
        self.left, self.right, self.font = left, right, font

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 22

    def draw(self):
        self.canv.setFont(self.font, SMALL_SIZE)
        self.canv.drawString(SMALL_SIZE, 6, self.left)
        self.canv.drawRightString(self.width - SMALL_SIZE, 6, self.right)


@in_site_language
def render_letter(letter: Letter) -> bytes:
    """The PDF of ``letter``, in the site's language whatever the requester's (lazy labels become Chinese)."""
    story = letter_story(letter)
    buffer = BytesIO()
    body_font = register_fonts()[1]
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=f"{letter.number} {letter.kind}".strip(),
        author=letter.issuer,
        subject=letter.title,
    )
    doc.body_font = body_font
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()
