"""Template helpers of the portal: links to articles of the regulation."""

import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from portal.language import reader_is_chinese
from portal.regulation import load_regulation

register = template.Library()

_ART = re.compile(r"\bArt\.\s?(\d{1,3})\b")
_TOOLTIP_CHARS = 60


_ITEM_NUMERALS = "零一二三四五六七八九十"


def _article_anchor(number: int, item: int | None = None) -> SafeString:
    article = load_regulation().article(int(number))
    if article is None:
        # A citation of an article the regulation doesn't have is a bug in the caller, not something to hide.
        raise template.TemplateSyntaxError(f"《北京市信息化促进条例》没有第 {number} 条。")
    first = article.paragraphs[0] if article.paragraphs else ""
    chinese = reader_is_chinese()
    label = article.label if chinese else f"Art. {article.number}"
    if item:
        label += f"第（{_ITEM_NUMERALS[int(item)]}）项" if chinese else f"({int(item)})"
    # The regulation is published in Chinese only, so the tooltip quotes it in Chinese in every language.
    tooltip = f"{label} {first[:_TOOLTIP_CHARS]}{'…' if len(first) > _TOOLTIP_CHARS else ''}"
    return format_html(
        '<a class="article-link" href="{}#{}" title="{}">{}</a>',
        reverse("regulation"),
        article.anchor,
        tooltip,
        label,
    )


@register.simple_tag
def article_link(number, paren: bool = False, item=None) -> SafeString:
    """`{% article_link 13 %}` -> a link to /regulation/#art-13 labelled 第十三条 (zh) or Art. 13 (en).

    `paren=True` wraps it in the language's parentheses: （第十三条） or " (Art. 13)".
    `item=2` cites an item of the article: 第四十六条第（二）项 or Art. 46(2)."""
    anchor = _article_anchor(number, item)
    if not paren:
        return anchor
    if reader_is_chinese():
        return format_html("（{}）", anchor)
    return format_html(" ({})", anchor)


@register.filter(is_safe=True)
def link_articles(text) -> SafeString:
    """Escape `text` and turn every "Art. N" in it into an article link (for rules messages)."""
    escaped = str(conditional_escape(text))
    return mark_safe(_ART.sub(lambda match: str(_article_anchor(int(match[1]))), escaped))  # noqa: S308 (escaped above)


# Labels of timeline actions; each app adds its own (`TIMELINE_ACTION_LABELS.update(...)` in its AppConfig.ready()).
TIMELINE_ACTION_LABELS: dict[str, str] = {
    "organization_created": _("创建单位"),
    "organization_updated": _("修改单位信息"),
    "attachment_added": _("上传附件"),
}


@register.filter
def timeline_state(code: str, event) -> str:
    """``{{ event.to_state|timeline_state:event }}``: a state code of the event's subject in words (its model's
    ``status`` choices, or a deadline's states); a label a view already put there is shown as it is."""
    content_type_id = getattr(event, "content_type_id", None)
    if not code or content_type_id is None:
        return code
    from django.contrib.contenttypes.models import ContentType

    from portal.models import DeadlineState

    model = ContentType.objects.get_for_id(content_type_id).model_class()  # cached: no query per event
    labels = dict(DeadlineState.choices)
    status = next((f for f in model._meta.get_fields() if f.name == "status"), None) if model else None
    labels.update(getattr(status, "choices", None) or ())
    return str(labels.get(code, code))


@register.filter
def timeline_action(action: str) -> str:
    """A timeline action in words; unknown codes are shown as they are rather than hidden."""
    return str(TIMELINE_ACTION_LABELS.get(action, action))
