"""The plan transitions as users see them: one declaration each, dispatched by the page and the API alike."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from planning import services
from planning.forms import ApprovalForm, OpinionForm, PublishForm, SubmitForReviewForm
from planning.serializers import ApprovalInput, OpinionInput, PublishInput, SubmitForReviewInput
from portal.workflow import Action, ActionTable

PLAN_ACTIONS = ActionTable(
    Action(
        name="submit_for_review",
        label=_("报送市信息化主管部门审核"),
        service=services.plan_submit_for_review,
        input=SubmitForReviewInput,
        form=SubmitForReviewForm,
        confirm=_("报送后规划文本不能再修改，直至市信息化主管部门审核完毕。"),
    ),
    Action(
        name="confirm_conformity",
        label=_("审核通过（符合本市规划）"),
        service=services.plan_confirm_conformity,
        input=OpinionInput,
        form=OpinionForm,
        confirm=_("确认该区规划符合本市信息化发展规划，可报区人民政府批准。"),
    ),
    Action(
        name="return_for_revision",
        label=pgettext_lazy("action", "退回修改"),
        service=services.plan_return_for_revision,
        input=OpinionInput,
        form=OpinionForm,
        confirm=_("退回后区信息化主管部门须修改规划并重新报送审核。"),
    ),
    Action(
        name="record_approval",
        label=_("登记批准"),
        service=services.plan_record_approval,
        input=ApprovalInput,
        form=ApprovalForm,
        confirm=_("登记批准后规划文本不能再修改，可以公布实施。"),
    ),
    Action(
        name="publish",
        label=_("公布实施"),
        service=services.plan_publish,
        input=PublishInput,
        form=PublishForm,
        confirm=_("公布后最新版本的规划文本将在门户网站向社会公开。"),
    ),
    object_arg="plan",
)
