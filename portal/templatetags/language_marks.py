"""Punctuation and amounts in the reader's language, loaded in every template (``builtins`` in settings).

Chinese pages use full-width marks (“名称：值（说明）、其他。”); English pages the Latin ones
("Name: value (note), other."). Templates write the mark as Chinese readers see it, ``{% punct "：" %}``,
so a template reads naturally in the site language and the English page still gets Latin marks."""

from django import template

from portal.citations import english_citation
from portal.language import format_yuan, listing, reader_is_chinese

register = template.Library()

LATIN = {
    "：": ": ",
    "（": " (",
    "）": ")",
    "，": ", ",
    "。": ". ",
    "；": "; ",
    "、": ", ",
    "【": "[",
    "】": "] ",
}


@register.simple_tag
def punct(mark: str) -> str:
    """``{% punct "：" %}``: the mark itself on Chinese pages, its Latin counterpart on English ones."""
    if mark not in LATIN:
        raise template.TemplateSyntaxError(f"punct knows {''.join(LATIN)}, not {mark!r}")
    return mark if reader_is_chinese() else LATIN[mark]


@register.filter
def yuan(amount) -> str:
    """An amount in yuan: "60,000.00 元" on Chinese pages, "CNY 60,000.00" on English ones."""
    return format_yuan(amount)


@register.filter(name="listing")
def listing_filter(items) -> str:
    """``{{ names|listing }}``: "甲、乙、丙" on Chinese pages, "A, B, C" on English ones."""
    return listing(items)


@register.filter
def citation(text) -> str:
    """``{{ rules.FILING_SOURCE|citation }}``: a Chinese legal citation, in English on English pages."""
    return str(text) if reader_is_chinese() else english_citation(str(text))
