"""Writes to the standards register (Art. 7). Codes are stored in one spelling, so filings can match them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from planning.models import Standard
from planning.permissions import may_manage_standards
from planning.rules import STANDARD_CODE_RE, StandardStatus, normalize_standard_code, standard_category_for
from portal.access import require
from portal.services import timeline_record
from portal.workflow import Refused, lock

STANDARD_EDITABLE_FIELDS = ("title", "scope", "issued_by", "effective_on", "url")


def standard_code_clean(value: str) -> str:
    code = normalize_standard_code(value)
    if not STANDARD_CODE_RE.match(code):
        raise ValidationError(
            {
                "code": ValidationError(
                    f"“{value}”不是有效的标准编号：应为“代号 顺序号-年号”，如 GB/T 22239-2019、DB11/T 1918-2021。",
                    code="standard-code-invalid",
                )
            }
        )
    return code


@transaction.atomic
def standard_create(
    *,
    actor,
    code: str,
    title: str,
    effective_on: date,
    scope: str = "",
    issued_by: str = "",
    url: str = "",
    category: str = "",
) -> Standard:
    require(may_manage_standards(actor), "只有市信息化主管部门或市场监督管理部门可以登记信息化标准（第七条）。")
    code = standard_code_clean(code)
    if Standard.objects.filter(code=code).exists():
        raise ValidationError({"code": ValidationError(f"标准 {code} 已登记。", code="standard-exists")})
    standard = Standard(
        code=code,
        title=title,
        category=category or standard_category_for(code),
        scope=scope,
        issued_by=issued_by,
        effective_on=effective_on,
        url=url,
        created_by=actor,
    )
    standard.full_clean()
    standard.save()
    timeline_record(obj=standard, actor=actor, action="standard_registered", comment=code)
    return standard


@transaction.atomic
def standard_update(*, standard: Standard, actor, **changes) -> Standard:
    require(may_manage_standards(actor), "您无权修改信息化标准。")
    unknown = set(changes) - set(STANDARD_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此修改。"))
    locked = lock(Standard, standard.pk)
    changed = sorted(name for name, value in changes.items() if getattr(locked, name) != value)
    for name in changed:
        setattr(locked, name, changes[name])
    locked.full_clean()
    locked.save()
    if changed:
        timeline_record(obj=locked, actor=actor, action="standard_updated", data={"changed": changed})
    return locked


@transaction.atomic
def standard_withdraw(
    *, standard: Standard, actor, withdrawn_on: date, replaced_by: Standard | None = None
) -> Standard:
    """A standard is withdrawn (废止), often replaced by a newer one. Filings citing it show it on the checklist."""
    require(may_manage_standards(actor), "您无权废止信息化标准。")
    locked = lock(Standard, standard.pk)
    if locked.status == StandardStatus.WITHDRAWN:
        raise Refused(f"标准 {locked.code} 已于 {locked.withdrawn_on:%Y-%m-%d} 废止。", code="standard-withdrawn")
    if replaced_by is not None and (replaced_by.pk == locked.pk or replaced_by.status == StandardStatus.WITHDRAWN):
        raise ValidationError({"replaced_by": "代替标准必须是另一项现行标准。"})
    if withdrawn_on < locked.effective_on:
        raise ValidationError({"withdrawn_on": "废止日期不能早于实施日期。"})
    locked.status = StandardStatus.WITHDRAWN
    locked.withdrawn_on = withdrawn_on
    locked.replaced_by = replaced_by
    locked.full_clean()
    locked.save()
    timeline_record(
        obj=locked,
        actor=actor,
        action="standard_withdrawn",
        from_state=StandardStatus.CURRENT,
        to_state=StandardStatus.WITHDRAWN,
        comment=f"被 {replaced_by.code} 代替" if replaced_by else "",
    )
    return locked
