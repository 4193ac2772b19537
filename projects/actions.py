"""The transitions of a project filing, declared once for the pages and the API (``portal.workflow``).

Each ``Action`` names the service it calls, the API request body (``projects.api.filing_inputs``) and the
page form (``projects.forms``); both hand their cleaned input to ``FILING_ACTIONS.run``, so an action is
wired in one place. ``filing_available_actions`` (``projects.permissions``) says which of them the user
may take now.
"""

from django.utils.translation import gettext_lazy as _

from portal.workflow import Action, ActionTable
from projects import forms, services
from projects.api import filing_inputs as inputs
from projects.permissions import FILING_ACTION_LABELS as LABELS

FILING_ACTIONS = ActionTable(
    Action(
        "submit",
        LABELS["submit"],
        services.filing_submit,
        None,
        forms.SubmitForm,
        _("提交后由信息化主管部门受理审查，审查期间不能修改。确定提交吗？"),
    ),
    Action(
        "start_review",
        LABELS["start_review"],
        services.filing_start_review,
        inputs.FilingStartReviewInput,
        forms.StartReviewForm,
    ),
    Action(
        "return",
        LABELS["return"],
        services.filing_return,
        inputs.FilingReturnInput,
        forms.ReturnForm,
        _("退回后建设单位修改并重新提交，审查期限暂停计算。确定退回吗？"),
    ),
    Action(
        "approve",
        LABELS["approve"],
        services.filing_approve,
        inputs.FilingApproveInput,
        forms.ApproveForm,
        _("签发后自动编号并生成审查意见书，建设单位和审批部门即可查阅，不能撤回。确定签发吗？"),
    ),
    Action(
        "approve_with_conditions",
        LABELS["approve_with_conditions"],
        services.filing_approve_with_conditions,
        inputs.FilingApproveWithConditionsInput,
        forms.ApproveWithConditionsForm,
        _("签发后自动编号并生成附条件的审查意见书，建设单位和审批部门即可查阅，不能撤回。确定签发吗？"),
    ),
    Action(
        "reject",
        LABELS["reject"],
        services.filing_reject,
        inputs.FilingRejectInput,
        forms.RejectForm,
        _("不予通过的审查意见书签发后不能撤回，该工程不能据此审批。确定不予通过吗？"),
    ),
    Action(
        "record_approval",
        LABELS["record_approval"],
        services.filing_record_approval,
        inputs.FilingRecordApprovalInput,
        forms.RecordApprovalForm,
        _("登记后项目进入建设阶段。确定登记审批结果吗？"),
    ),
    Action(
        "request_acceptance",
        LABELS["request_acceptance"],
        services.filing_request_acceptance,
        inputs.FilingRequestAcceptanceInput,
        forms.RequestAcceptanceForm,
    ),
    Action(
        "record_acceptance",
        LABELS["record_acceptance"],
        services.filing_record_acceptance,
        inputs.FilingRecordAcceptanceInput,
        forms.RecordAcceptanceForm,
        _("验收记录登记后不能修改。确定登记吗？"),
    ),
    Action(
        "start_operation",
        LABELS["start_operation"],
        services.filing_start_operation,
        inputs.FilingStartOperationInput,
        forms.StartOperationForm,
        _("登记投入使用后项目进入运行维护阶段。确定登记吗？"),
    ),
    object_arg="filing",
)
