"""The grading filing certificate (备案证明) on the shared letter layout (portal/letters.py, GB/T 9704-2012)."""

from django.utils import timezone

from portal.language import in_site_language
from portal.letters import CJKFontMissing, Grid, Letter, chinese_date, render_letter
from security.rules import GRADING_MATRIX_SOURCE

__all__ = ["CJKFontMissing", "certificate_letter", "certificate_pdf"]

KIND = "备案证明"


@in_site_language
def certificate_letter(grading) -> Letter:
    system = grading.system
    authority = grading.authority.name if grading.authority else "信息化主管部门"
    decided = timezone.localtime(grading.decided_at) if grading.decided_at else timezone.localtime()
    rows = [
        ["项目", "内容"],
        ["系统名称", system.name],
        ["运行维护单位", system.operator.name],
        ["建设单位", system.builder],
        ["承载网络", system.get_network_display()],
        ["业务信息安全保护等级", str(grading.get_business_level_display())],
        ["系统服务安全保护等级", str(grading.get_service_level_display())],
        ["安全保护等级", str(grading.get_level_display())],
        ["定级日期", chinese_date(grading.graded_on)],
        ["备案事由", str(grading.get_reason_display())],
    ]
    return Letter(
        issuer=authority,
        number=grading.filing_number,
        title="信息系统安全等级保护备案证明",
        addressee=system.operator.name,
        body=[
            "依据《北京市信息化促进条例》第三十二条，你单位报送的信息系统安全保护等级定级备案材料收悉，"
            f"经审核，准予备案。定级依据{GRADING_MATRIX_SOURCE}，系统安全保护等级取业务信息与系统服务"
            "安全保护等级的较高者。",
            Grid(rows, [50, 106]),
            "请按照国家网络安全等级保护有关规定开展安全建设整改和等级测评（第三十三条），"
            "制定安全事件应急预案并定期演练（第三十四条）。系统等级变更或发生重大变更的，应当重新备案。",
        ],
        date=decided.date(),
        kind=KIND,
        note=f"备案标识：{grading.uuid}。本证明由信息化促进门户生成，备案编号可在门户中查验。",
    )


def certificate_pdf(grading) -> bytes:
    return render_letter(certificate_letter(grading))
