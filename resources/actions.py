"""The transitions of catalog resources and sharing requests, declared once for pages and the API.

Each ``Action`` names its service, its API input serializer and its page form; ``*_available_actions``
lists exactly what the current user can do now (role and state), for the buttons and ``available_actions``.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import can_proceed

from portal.workflow import Action, ActionTable
from resources import services
from resources.api import catalog_serializers as cs
from resources.api import sharing_serializers as ss
from resources.catalog_permissions import is_agency_member, may_decide_sharing, may_edit_resource, may_publish
from resources.forms import catalog as cf
from resources.forms import sharing as sf
from resources.models import ResourceStatus, SharingStatus

CATALOG_ACTIONS = ActionTable(
    Action(
        "submit",
        _("提交发布审核"),
        services.resource_submit,
        form=cf.NoInputForm,
        confirm=_("提交后由信息化主管部门审核发布，审核期间不能修改。"),
    ),
    Action(
        "publish",
        _("审核发布"),
        services.resource_publish,
        cs.CommentInput,
        cf.CommentForm,
        _("发布后资源进入政务信息资源目录，各机关可申请共享。"),
    ),
    Action(
        "return",
        pgettext_lazy("action", "退回修改"),
        services.resource_return,
        cs.ReasonInput,
        cf.ReasonForm,
        _("退回后提供单位须修改并重新提交。"),
    ),
    Action("revise", _("修订新版本"), services.resource_revise, form=cf.NoInputForm),
    Action(
        "record_update", _("登记数据更新"), services.resource_record_update, cs.RecordUpdateInput, cf.RecordUpdateForm
    ),
    Action(
        "review_justification",
        _("审核重复采集理由"),
        services.resource_justification_review,
        cs.JustificationReviewInput,
        cf.JustificationReviewForm,
        _("审核结论将通知提供单位；认定理由不成立的，按第十七条作为违法线索处理。"),
    ),
    Action(
        "retire",
        _("撤销资源"),
        services.resource_retire,
        cs.ReasonInput,
        cf.ReasonForm,
        _("撤销后资源不再出现在目录中。"),
    ),
    object_arg="resource",
)
# action -> (FSM method or None, who may: "provider" / "official" / "either")
_CATALOG_RULES = {
    "submit": ("submit", "provider"),
    "publish": ("publish", "official"),
    "return": ("return_for_revision", "official"),
    "revise": (None, "provider"),
    "record_update": (None, "provider"),
    "review_justification": (None, "official"),
    "retire": ("retire", "either"),
}


def resource_available_actions(user, resource) -> list[str]:
    provider = may_edit_resource(user, resource)
    official = may_publish(user, resource)
    out = []
    for name, (method, who) in _CATALOG_RULES.items():
        allowed = {"provider": provider, "official": official, "either": provider or official}[who]
        if not allowed:
            continue
        if name == "review_justification":
            if not resource.has_duplicates or resource.status not in (
                ResourceStatus.SUBMITTED,
                ResourceStatus.PUBLISHED,
            ):
                continue
        elif method is None:
            if resource.status != ResourceStatus.PUBLISHED:
                continue
        elif not can_proceed(getattr(resource, method)):
            continue
        out.append(name)
    return out


SHARING_ACTIONS = ActionTable(
    Action(
        "agree",
        _("同意共享"),
        services.sharing_agree,
        ss.AgreeInput,
        cf.CommentForm,
        _("同意后需求单位即获得所申请信息项的共享授权。"),
    ),
    Action(
        "counter",
        _("提出修改意见"),
        services.sharing_counter,
        ss.CounterInput,
        sf.CounterForm,
        _("修改意见作为本单位的答复送达需求单位，由其接受或修改申请。"),
    ),
    Action(
        "refuse",
        _("拒绝共享"),
        services.sharing_refuse,
        ss.RefuseInput,
        cf.ReasonForm,
        _("拒绝后需求单位可以报请信息化主管部门协调（第二十一条第二款）。"),
    ),
    Action(
        "accept",
        _("接受修改意见"),
        services.sharing_accept,
        ss.AgreeInput,
        cf.CommentForm,
        _("接受后按修改意见授予共享，申请办结。"),
    ),
    Action("revise", _("修改申请"), services.sharing_revise, ss.ReviseInput, sf.ReviseForm),
    Action(
        "escalate",
        _("报请主管部门协调"),
        services.sharing_escalate,
        ss.EscalateInput,
        cf.ReasonForm,
        _("报请后由信息化主管部门协调并作出决定，决定对双方均有约束力。"),
    ),
    Action(
        "decide",
        _("作出协调决定"),
        services.sharing_decide,
        ss.DecideInput,
        sf.DecideForm,
        _("协调决定对双方均有约束力（第二十一条第二款）。"),
    ),
    Action(
        "withdraw",
        _("撤回申请"),
        services.sharing_withdraw,
        ss.WithdrawInput,
        sf.WithdrawForm,
        _("撤回后申请办结，不能恢复；需要时须重新申请。"),
    ),
    object_arg="request",
)
_SHARING_RULES = {
    "agree": ("agree", "provider"),
    "counter": ("counter", "provider"),
    "refuse": ("refuse", "provider"),
    "accept": ("accept_counter", "requester"),
    "revise": ("revise", "requester"),
    "escalate": ("escalate", "requester"),
    "decide": ("decide_grant", "official"),
    "withdraw": ("withdraw", "requester"),
}


def sharing_available_actions(user, request) -> list[str]:
    roles = {
        "provider": is_agency_member(user, request.provider),
        "requester": is_agency_member(user, request.requester),
        "official": may_decide_sharing(user, request),
    }
    out = []
    for name, (method, who) in _SHARING_RULES.items():
        if not roles[who] or not can_proceed(getattr(request, method)):
            continue
        if (
            name == "escalate"
            and request.status == SharingStatus.AWAITING_PROVIDER
            and (request.reply_due_date is None or request.reply_due_date >= timezone.localdate())
        ):
            continue
        out.append(name)
    return out
