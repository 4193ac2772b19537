"""Public pages: the home page with the public sections, and the regulation itself."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from portal.regulation import load_regulation

# Public sections of the site: (title, what it holds, URL name, article). Apps add their URL names;
# a section whose URL does not exist yet is listed as coming soon rather than as a broken link.
PUBLIC_SECTIONS = [
    (_("信息化发展规划"), _("本市及各区信息化发展规划的公布文本。"), "public-plans", 6),
    (_("信息化标准"), _("本市信息化地方标准及其执行情况。"), "public-standards", 7),
    (_("政务信息公开"), _("各机关的信息公开指南、目录与依申请公开。"), "public-disclosure", 19),
    (_("公共服务企业信息"), _("供水、供电、供气、公共交通等企业公开的服务信息。"), "public-enterprises", 20),
    (_("行政处罚决定"), _("依据条例第七章作出并公开的处罚决定。"), "public-penalties", 43),
]


def _public_sections() -> list[dict]:
    sections = []
    for title, summary, url_name, article in PUBLIC_SECTIONS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = None
        sections.append({"title": title, "summary": summary, "url": url, "article": article})
    return sections


def home(request):
    regulation = load_regulation()
    return render(
        request,
        "portal/home.html",
        {
            "regulation": regulation,
            "sections": _public_sections(),
            "article_count": sum(len(chapter.articles) for chapter in regulation.chapters),
        },
    )


def regulation(request):
    return render(request, "portal/regulation.html", {"regulation": load_regulation()})
