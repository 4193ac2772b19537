"""The transitions of findings and penalty cases, each declared once (service, API input, page form, confirmation),
dispatched the same way by the pages and the API (portal.workflow.ActionTable)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import can_proceed

from enforcement import forms, serializers, services
from enforcement.models import DECIDED_STATES, CaseStatus, FindingStatus
from enforcement.permissions import may_act_on_case, may_enforce
from portal.workflow import Action, ActionTable

FINDING_ACTIONS = ActionTable(
    Action(
        "open_case",
        _("立案"),
        services.finding_open_case,
        serializers.OpenCaseInput,
        forms.OpenCaseForm,
        confirm=_("立案后线索转为行政处罚案件，开始计算90日的办案期限。"),
    ),
    Action(
        "dismiss",
        pgettext_lazy("action", "不予立案"),
        services.finding_dismiss,
        serializers.DismissInput,
        forms.DismissForm,
        confirm=_("不予立案后线索办结，不能再据此立案。"),
    ),
    object_arg="finding",
)

CASE_ACTIONS = ActionTable(
    Action("investigate", _("开始调查取证"), services.case_investigate, serializers.NoInput, forms.NoInputForm),
    Action(
        "notify",
        _("送达行政处罚事先告知书"),
        services.case_notify,
        serializers.NotifyInput,
        forms.NotifyForm,
        confirm=_("告知书送达后，当事人有权陈述申辩；拟处较大数额罚款或停机整顿的，有权在5个工作日内要求听证。"),
    ),
    Action(
        "request_hearing",
        _("申请听证"),
        services.case_request_hearing,
        serializers.NoInput,
        forms.NoInputForm,
        confirm=_("登记当事人的听证申请后，须在听证7日前通知当事人，听证后才能作出决定。"),
    ),
    Action(
        "schedule_hearing",
        _("安排听证"),
        services.case_schedule_hearing,
        serializers.ScheduleHearingInput,
        forms.ScheduleHearingForm,
    ),
    Action(
        "hold_hearing", _("记录听证"), services.case_hold_hearing, serializers.HoldHearingInput, forms.HoldHearingForm
    ),
    Action(
        "decide",
        _("作出行政处罚决定"),
        services.case_decide,
        serializers.CaseDecideInput,
        forms.DecideForm,
        confirm=_("处罚决定一经作出即须送达并在7个工作日内公开。"),
    ),
    Action(
        "serve",
        _("送达决定书"),
        services.case_serve,
        serializers.ServeInput,
        forms.ServeForm,
        confirm=_("送达后开始计算当事人15日的缴款期限，送达日期不能更改。"),
    ),
    Action(
        "execute",
        _("进入执行"),
        services.case_execute,
        serializers.NoInput,
        forms.NoInputForm,
        confirm=_("案件进入执行阶段，不能退回送达阶段。"),
    ),
    Action("record_payment", _("登记缴款"), services.case_record_payment, serializers.PaymentInput, forms.PaymentForm),
    Action(
        "record_reinspection",
        _("登记复查"),
        services.case_record_reinspection,
        serializers.ReinspectionInput,
        forms.ReinspectionForm,
    ),
    Action(
        "publish",
        _("公开处罚决定"),
        services.case_publish,
        serializers.NoInput,
        forms.NoInputForm,
        confirm=_("公开后处罚决定在门户网站向社会公布，只有撤销决定才能撤回。"),
    ),
    Action(
        "close",
        _("结案"),
        services.case_close,
        serializers.NoInput,
        forms.NoInputForm,
        confirm=_("结案后案件不能再办理。"),
    ),
    Action(
        "not_penalize",
        pgettext_lazy("action", "不予处罚"),
        services.case_not_penalize,
        serializers.CaseReasonInput,
        forms.ReasonForm,
        confirm=_("作出不予处罚决定后案件办结，不能再作出处罚决定。"),
    ),
    Action(
        "refer",
        _("移送（第四十七、四十八条）"),
        services.case_refer,
        serializers.ReferInput,
        forms.ReferForm,
        confirm=_("移送后案件由受移送机关处理，本机关不再办理。"),
    ),
    Action(
        "revoke",
        _("撤销决定"),
        services.case_revoke,
        serializers.CaseReasonInput,
        forms.ReasonForm,
        confirm=_("撤销后，已公开的决定将从公开页面撤回。"),
    ),
    Action(
        "extend_decision",
        _("延长办案期限"),
        services.case_extend_decision,
        serializers.CaseExtendInput,
        forms.ExtendForm,
        confirm=_("延长须经负责人批准；延长后办案期限按新的截止日期计算并通知办案人员。"),
    ),
    object_arg="case",
)

# FSM method behind each state-changing action; the others are checked by _state_allows.
_FSM = {
    "investigate": "investigate",
    "notify": "notify",
    "request_hearing": "request_hearing",
    "hold_hearing": "hold_hearing",
    "decide": "decide",
    "serve": "serve",
    "execute": "execute",
    "close": "close",
    "not_penalize": "not_penalize",
    "refer": "refer",
    "revoke": "revoke",
}


def _state_allows(case, name: str) -> bool:
    if name in _FSM:
        if name == "request_hearing" and not case.hearing_eligible:
            return False
        return can_proceed(getattr(case, _FSM[name]))
    if name == "schedule_hearing":
        return case.status == CaseStatus.HEARING_REQUESTED
    if name == "record_payment":
        return case.status in (CaseStatus.SERVED, CaseStatus.EXECUTING) and case.fine_total > 0 and not case.paid_on
    if name == "record_reinspection":
        return case.status in (CaseStatus.SERVED, CaseStatus.EXECUTING, CaseStatus.CLOSED)
    if name == "publish":
        return case.status in DECIDED_STATES and not case.is_published
    if name == "extend_decision":
        return case.status in (
            CaseStatus.REGISTERED,
            CaseStatus.INVESTIGATING,
            CaseStatus.NOTIFIED,
            CaseStatus.HEARING_REQUESTED,
            CaseStatus.HEARING_HELD,
        )
    return False


def case_available_actions(user, case) -> list:
    return [CASE_ACTIONS[n] for n in CASE_ACTIONS if _state_allows(case, n) and may_act_on_case(user, case, n)]


def finding_available_actions(user, finding) -> list:
    if finding.status != FindingStatus.OPEN or not may_enforce(user, district=finding.district):
        return []
    return [FINDING_ACTIONS[n] for n in FINDING_ACTIONS]
