"""The transitions of a disclosure application, declared once for the pages and the API."""

from django.utils.translation import gettext_lazy as _

from portal.workflow import Action, ActionTable
from resources import serializers_disclosure as s
from resources.forms import disclosure as forms
from resources.services import disclosure as services

APPLICATION_ACTIONS = ActionTable(
    Action(
        "confirm_receipt",
        _("确认收到申请"),
        services.application_confirm_receipt,
        s.ConfirmReceiptInput,
        forms.ConfirmReceiptForm,
    ),
    Action(
        "correction_notice",
        _("告知补正"),
        services.application_correction_notice,
        s.CorrectionNoticeInput,
        forms.CorrectionNoticeForm,
        confirm=_("补正告知只能发出一次，发出后答复期限中止。"),
    ),
    Action(
        "correction_received",
        _("登记收到补正"),
        services.application_correction_received,
        s.CorrectionReceivedInput,
        forms.CorrectionReceivedForm,
    ),
    Action(
        "extend",
        _("延期答复"),
        services.application_extend,
        s.ExtendInput,
        forms.ExtendForm,
        confirm=_("答复期限只能延长一次，且须告知申请人。"),
    ),
    Action("consult", _("征求意见"), services.application_consult, s.ConsultInput, forms.ConsultForm),
    Action(
        "consultation_answered",
        _("登记征求意见结果"),
        services.application_consultation_answered,
        s.ConsultationAnsweredInput,
        forms.ConsultationAnsweredForm,
    ),
    Action(
        "reply",
        _("答复"),
        services.application_reply,
        s.ReplyInput,
        forms.ReplyForm,
        confirm=_("答复后不能修改，答复书将供申请人下载。"),
    ),
    object_arg="application",
)
# action name -> the FSM method it runs (to show only what the state allows)
FSM_METHODS = {
    "confirm_receipt": "confirm_receipt",
    "correction_notice": "request_correction",
    "correction_received": "receive_correction",
    "extend": "extend",
    "consult": "consult",
    "consultation_answered": "end_consultation",
    "reply": "reply",
}
