"""《北京市信息化促进条例》 parsed once from the shipped text, for the public page and "Art. N" links."""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext, gettext_noop

from portal.language import reader_is_chinese

SOURCE = Path(__file__).resolve().parent / "content" / "regulation.md"
_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百零]+)条\s*(.*)$")
_CHAPTER = re.compile(r"^##\s*第([一二三四五六七八九十]+)章\s+(.*)$")
# The law is published in Chinese only; its chapter titles and adoption line have English renderings for
# the English interface's overviews (the articles themselves are quoted in Chinese).
ENGLISH_CATALOG = (
    gettext_noop("总则"),
    gettext_noop("信息化工程建设"),
    gettext_noop("信息资源开发利用"),
    gettext_noop("信息技术推广应用"),
    gettext_noop("信息安全保障"),
    gettext_noop("监督管理"),
    gettext_noop("法律责任"),
    gettext_noop("附则"),
    gettext_noop("2007年9月14日 北京市第十二届人民代表大会常务委员会第三十八次会议通过"),
)


def chinese_number(text: str) -> int:
    """Chinese numerals up to 999 as used in article numbers (十二, 四十九, 一百零三)."""
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


@dataclass
class Article:
    number: int
    label: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"art-{self.number}"


@dataclass
class Chapter:
    number: int
    label: str
    title: str
    articles: list[Article] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"chapter-{self.number}"

    @property
    def display_label(self) -> str:
        return self.label if reader_is_chinese() else f"Chapter {self.number}"

    @property
    def display_title(self) -> str:
        return gettext(self.title)


@dataclass
class Regulation:
    title: str
    adopted: str
    chapters: list[Chapter]

    @property
    def display_adopted(self) -> str:
        return gettext(self.adopted)

    def article(self, number: int) -> Article | None:
        return next((a for c in self.chapters for a in c.articles if a.number == number), None)


@cache
def load_regulation() -> Regulation:
    lines = [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines()]
    title = lines[0].lstrip("# ").strip()
    adopted = next(line for line in lines[1:] if line)
    chapters: list[Chapter] = []
    for line in lines[1:]:
        if not line:
            continue
        if match := _CHAPTER.match(line):
            chapters.append(Chapter(chinese_number(match[1]), f"第{match[1]}章", match[2].strip()))
        elif match := _ARTICLE.match(line):
            article = Article(chinese_number(match[1]), f"第{match[1]}条", [match[2].strip()])
            chapters[-1].articles.append(article)
        elif chapters and chapters[-1].articles:
            chapters[-1].articles[-1].paragraphs.append(line)
    return Regulation(title=title, adopted=adopted, chapters=chapters)
