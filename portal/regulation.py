"""《北京市信息化促进条例》 parsed once from the shipped text, for the public page and "Art. N" links."""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "content" / "regulation.md"
_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百零]+)条\s*(.*)$")
_CHAPTER = re.compile(r"^##\s*第([一二三四五六七八九十]+)章\s+(.*)$")


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


@dataclass
class Regulation:
    title: str
    adopted: str
    chapters: list[Chapter]

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
