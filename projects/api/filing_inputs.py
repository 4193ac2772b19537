"""One request body per filing transition, so the schema says exactly what each action takes.

``validated_data`` is passed to the service as keyword arguments (``FILING_ACTIONS.run``): each field is
named as the service's parameter. A field is required where the law requires the fact (a reason to
return or reject, the approval reference and date, the acceptance result, date and participants); an
optional field left out takes the service's default. The services still check everything (a page and a
script are held to the same law); these serializers only shape the input and name the field at fault.
"""

from rest_framework import serializers
from rest_framework.fields import empty

from portal.models import User


class ExplicitBooleanField(serializers.BooleanField):
    """A boolean the client must state, also in form-encoded bodies (where DRF would read a missing box as false)."""

    default_empty_html = empty


def _text(label: str, *, required: bool, max_length: int | None = None, help_text: str = "") -> serializers.CharField:
    kwargs = (
        {"help_text": help_text or label, "max_length": max_length} if max_length else {"help_text": help_text or label}
    )
    if required:
        return serializers.CharField(
            error_messages={"required": f"请填写{label}。", "blank": f"请填写{label}。"}, **kwargs
        )
    return serializers.CharField(required=False, allow_blank=True, **kwargs)


class FilingStartReviewInput(serializers.Serializer):
    reviewers = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=20,
        help_text="审查人员的用户 id：审查部门的审查人员，建设单位的工作人员回避。",
    )
    self_review = serializers.BooleanField(
        required=False,
        default=False,
        help_text="由受理的官员本人审查。不选审查人员时必须为 true：不指定审查人是明示的选择，不是默认。",
    )
    comment = _text("受理说明", required=False)

    def validate_reviewers(self, ids):
        users = {u.uuid: u for u in User.objects.filter(uuid__in=ids, is_active=True)}
        missing = [str(i) for i in ids if i not in users]
        if missing:
            raise serializers.ValidationError(f"审查人员不存在：{'、'.join(missing)}。", code="does_not_exist")
        return [users[i] for i in dict.fromkeys(ids)]


class FilingReturnInput(serializers.Serializer):
    comment = _text("退回理由和需要修改的内容", required=True)


class FilingApproveInput(serializers.Serializer):
    opinion = _text("审查意见", required=False)


class FilingApproveWithConditionsInput(serializers.Serializer):
    conditions = _text("通过条件（建设单位须落实的事项）", required=True)
    opinion = _text("审查意见", required=False)


class FilingRejectInput(serializers.Serializer):
    opinion = _text("不予通过的理由", required=True)


class FilingRecordApprovalInput(serializers.Serializer):
    reference = _text("审批部门的批复文号", required=True, max_length=60)
    approval_date = serializers.DateField(help_text="批复日期", error_messages={"required": "请填写批复日期。"})


class FilingRequestAcceptanceInput(serializers.Serializer):
    """Art. 14: when and where the acceptance is held; the authority is told so it can attend."""

    planned_on = serializers.DateField(help_text="验收日期", error_messages={"required": "请填写验收日期。"})
    place = _text("验收地点", required=True, max_length=200)
    comment = _text("说明", required=False)


class FilingRecordAcceptanceInput(serializers.Serializer):
    passed = ExplicitBooleanField(
        help_text="验收结论：true 合格，false 不合格。必填，没有默认值（第十四条）。",
        error_messages={"required": "请填写验收结论（passed：true 合格，false 不合格）。"},
    )
    held_on = serializers.DateField(help_text="验收日期", error_messages={"required": "请填写验收日期。"})
    participants = _text("参加验收的单位和人员", required=True)
    authority_invited = ExplicitBooleanField(
        help_text="是否邀请了信息化主管部门参加；政府投资项目必须邀请（第十四条第二款）。",
        error_messages={"required": "请说明是否邀请了信息化主管部门参加（第十四条第二款）。"},
    )
    notes = _text("验收意见", required=False)
    warranty_end = serializers.DateField(
        required=False, allow_null=True, help_text="保修期截止日期；验收合格时必填（第十五条）。"
    )


class FilingAttendanceInput(serializers.Serializer):
    """Art. 14: the authority itself says whether it attended an acceptance (not the agency)."""

    record = serializers.UUIDField(help_text="验收记录 id（见 acceptance-records）")
    attended = ExplicitBooleanField(
        help_text="本部门是否派员出席", error_messages={"required": "请说明是否出席（attended）。"}
    )


class FilingStartOperationInput(serializers.Serializer):
    started_on = serializers.DateField(required=False, allow_null=True, help_text="投入使用日期；不填为今天。")
