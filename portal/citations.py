"""Legal citations in the reader's language.

Deadlines, cases and rules cite laws as Chinese officials write them ("政府信息公开条例第三十三条第二款",
"Art. 32；公通字〔2007〕43号第十五条"). They are stored that way, because a record reads the same for
everyone; an English page shows them in the form English legal texts use ("Regulations on Open Government
Information, Art. 33(2)", "Art. 32; MPS Doc. Gongtongzi [2007] No. 43, Art. 15"). The rendering is by
pattern — law names, document numbers, article/paragraph/item numbers — so a new citation needs no catalog
entry unless it names a law not listed here."""

from __future__ import annotations

import re

from portal.regulation import chinese_number as regulation_number

# Laws and document series cited in the portal, with the English names used in official translations.
LAW_NAMES = {
    "《北京市信息化促进条例》": "",  # the regulation itself: its articles read "Art. N"
    "《中华人民共和国政府信息公开条例》": "PRC Regulations on Open Government Information",
    "中华人民共和国政府信息公开条例": "PRC Regulations on Open Government Information",
    "政府信息公开条例": "Regulations on Open Government Information",
    "《中华人民共和国行政处罚法》": "Administrative Penalty Law",
    "行政处罚法": "Administrative Penalty Law",
    "民法典": "Civil Code",
    "《网络安全等级保护定级指南》": "Guidelines for Grading of Classified Cybersecurity Protection",
}
# Series of official documents, numbered 公通字〔2007〕43号.
DOCUMENT_SERIES = {
    "公通字": "MPS Doc. Gongtongzi",
    "公网安": "MPS Doc. Gongwang'an",
    "国发": "State Council Doc. Guofa",
    "国办发": "State Council General Office Doc. Guobanfa",
}

_NUMERAL = r"[零一二三四五六七八九十百\d]+"


def chinese_number(text: str) -> int:
    return int(text) if text.isdigit() else regulation_number(text)


def _article(match: re.Match) -> str:
    article = chinese_number(match["article"])
    text = f"Art. {article}"
    if match["end"]:
        text = f"Arts. {article}-{chinese_number(match['end'])}"
    if match["paragraph"]:
        text += f"({chinese_number(match['paragraph'])})"
    if match["item"]:
        text += f"({chinese_number(match['item'])})"
    return text


_ARTICLE = re.compile(
    rf"第(?P<article>{_NUMERAL})条(?:至第(?P<end>{_NUMERAL})条)?"
    rf"(?:第(?P<paragraph>{_NUMERAL})款)?(?:第(?P<item>{_NUMERAL})项)?"
)
_DOCUMENT = re.compile(r"(?P<series>[\u4e00-\u9fff]*)〔(?P<year>\d{4})〕(?P<number>\d+)号")


def _document(match: re.Match) -> str:
    series = DOCUMENT_SERIES.get(match["series"], match["series"])
    return f"{series} [{match['year']}] No. {match['number']}, "


def english_citation(text: str) -> str:
    """A Chinese legal citation in English; text it does not recognise passes through unchanged."""
    text = _DOCUMENT.sub(_document, text)
    for chinese, english in sorted(LAW_NAMES.items(), key=lambda item: -len(item[0])):
        text = text.replace(chinese, f"{english}, " if english else "")
    text = _ARTICLE.sub(_article, text)
    text = re.sub(r"表(\d+)", r"Table \1", text)  # tables of a national standard (GB/T 22240-2020 表2)
    text = text.replace("；", "; ").replace("、", ", ").replace("，", ", ")
    text = re.sub(r",\s*(?=;|$)", "", text)
    text = re.sub(r",\s*,", ",", text)
    return re.sub(r"\s{2,}", " ", text).strip()
