"""The review opinion letter (审查意见书) on the shared letter layout (portal/letters.py, GB/T 9704-2012)."""

from django.utils import timezone

from portal.language import in_site_language
from portal.letters import CJKFontMissing, Grid, Heading, Letter, register_fonts, render_letter
from projects.rules import approval_stage_label

__all__ = ["CJKFontMissing", "conclusion_label", "opinion_filename", "opinion_letter", "opinion_pdf"]

KIND = "审查意见书"


def register_cjk_font() -> str:
    """Kept for callers of the earlier module: registers the letter fonts, returns the body font."""
    return register_fonts()[1]


@in_site_language
def opinion_letter(filing, checklist: list[dict]) -> Letter:
    authority = filing.reviewing_authority.name if filing.reviewing_authority else "信息化主管部门"
    decided = timezone.localtime(filing.decided_at) if filing.decided_at else timezone.localtime()
    stage = approval_stage_label(filing.kind)
    body: list = [
        f"你单位报送的“{filing.title}”（建设性质：{filing.get_kind_display()}，政府投资"
        f"{filing.government_investment}万元，其他资金{filing.other_funding}万元）收悉。"
        "依据《北京市信息化促进条例》第十三条，我局对该工程的需求效益、规划布局、技术标准、"
        "网络与信息安全、信息资源共享以及其他相关内容进行了审查，意见如下：",
        Heading("一、审查要点"),
        Grid(
            [["审查内容", "结论", "意见"]]
            + [
                [
                    item["label"],
                    item["finding"].get_result_display() if item["finding"] else "—",
                    item["finding"].text if item["finding"] and item["finding"].text else "",
                ]
                for item in checklist
            ],
            [34, 22, 100],
        ),
        Heading(f"二、审查结论：{conclusion_label(filing)}"),
    ]
    if filing.conditions:
        body += [Heading("三、通过条件"), filing.conditions]
    if filing.opinion_summary:
        body += [Heading("四、审查意见" if filing.conditions else "三、审查意见"), filing.opinion_summary]
    cc = []
    if filing.approving_department:
        body.append(
            f"本意见作为{filing.approving_department.name}{stage}的依据（第十三条）。"
            "不符合审查要求的信息化工程，不予审查和审批通过。"
        )
        cc.append(filing.approving_department.name)
    return Letter(
        issuer=authority,
        number=filing.opinion_number,
        title=f"关于“{filing.title}”的审查意见",
        addressee=filing.agency.name,
        body=body,
        date=decided.date(),
        cc=cc,
        kind=KIND,
        note=f"本意见书由信息化促进门户生成，文号{filing.opinion_number}可在门户中查验。",
    )


def opinion_pdf(filing, checklist: list[dict]) -> bytes:
    return render_letter(opinion_letter(filing, checklist))


def opinion_filename(filing) -> str:
    return opinion_letter_filename(filing.opinion_number)


def opinion_letter_filename(number: str) -> str:
    from portal.letters import letter_filename

    return letter_filename(number, KIND)


def conclusion_label(filing) -> str:
    """The decision of the opinion, also once the project has moved on to construction."""
    if filing.status == "rejected":
        return "不予通过"
    return "有条件通过" if filing.conditions else "审查通过"
