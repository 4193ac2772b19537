"""The notice of proposed penalty (行政处罚事先告知书) and the decision (行政处罚决定书), quoting the articles,
on the shared letter layout (portal/letters.py, GB/T 9704-2012)."""

from enforcement import rules
from enforcement.rules import SanctionKind
from portal.language import in_site_language
from portal.letters import Letter, chinese_date, render_letter

NOTICE_KIND = "行政处罚事先告知书"
DECISION_KIND = "行政处罚决定书"


def _sanctions_text(items) -> str:
    parts = []
    for s in items:
        kind = s["kind"] if isinstance(s, dict) else s.kind
        amount = s.get("amount") if isinstance(s, dict) else s.amount
        label = str(SanctionKind(kind).label)  # a lazy label cannot be str.join-ed
        parts.append(f"{label}人民币{amount}元" if amount else label)
    return "；".join(parts)


def _quote(article: int) -> str:
    return f"（条文）{rules.ARTICLE_TEXT[article]}"


@in_site_language
def notice_letter(case) -> Letter:
    """行政处罚事先告知书 (行政处罚法第四十四条): facts, articles, proposed sanction, rights and the deadline."""
    hearing = (
        f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求听证；如要求听证，"
        f"应当在收到本告知书之日起{rules.HEARING_REQUEST_WORKING_DAYS}个工作日内提出，逾期视为放弃。"
        if case.hearing_eligible
        else ""
    )
    return Letter(
        issuer=case.authority.name,
        number=f"{case.number}（告）",
        title=NOTICE_KIND,
        addressee=case.party_name,
        body=[
            f"经查，{case.facts}",
            f"你（单位）的上述行为违反了《北京市信息化促进条例》第{case.article_breached}条的规定。依据该条例"
            f"第{case.sanctioning_article}条，本机关拟对你（单位）作出如下行政处罚："
            f"{_sanctions_text(case.proposed_sanctions)}。",
            _quote(case.sanctioning_article),
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。" + hearing,
        ],
        date=case.notified_on,
        kind=NOTICE_KIND,
    )


@in_site_language
def decision_letter(case) -> Letter:
    """行政处罚决定书: facts, articles quoted, sanctions, payment period and surcharge, remedies."""
    sanctions = list(case.sanctions.all())
    body = [
        f"经查，{case.facts}",
        f"上述行为违反了《北京市信息化促进条例》第{case.article_breached}条的规定。本机关已于"
        f"{chinese_date(case.notified_on)}告知你（单位）拟作出的行政处罚及享有的权利。" + (case.decision_text or ""),
        f"依据《北京市信息化促进条例》第{case.sanctioning_article}条：",
        _quote(case.sanctioning_article),
        f"本机关决定：{_sanctions_text(sanctions)}。",
    ]
    if case.competent_department:
        body.append(f"作出处罚的主管部门及依据：{case.competent_department}。")
    correction = next((s for s in sanctions if s.kind == SanctionKind.CORRECTION and s.correction_due), None)
    if correction:
        body.append(f"请于{chinese_date(correction.correction_due)}前改正，逾期将予复查。")
    if case.fine_total > 0:
        body.append(
            f"罚款应当自收到本决定书之日起{rules.PAYMENT_DAYS}日内缴纳（《中华人民共和国行政处罚法》第六十七条）。"
            "到期不缴纳罚款的，每日按罚款数额的3%加处罚款，加处罚款的数额不超出罚款的数额（第七十二条）。"
        )
    body.append(
        "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
    )
    return Letter(
        issuer=case.authority.name,
        number=case.number,
        title=DECISION_KIND,
        addressee=case.party_name,
        body=body,
        date=case.decided_on,
        kind=DECISION_KIND,
    )


def notice_pdf(case) -> bytes:
    return render_letter(notice_letter(case))


def decision_pdf(case) -> bytes:
    return render_letter(decision_letter(case))
