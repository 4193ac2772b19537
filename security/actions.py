"""The transitions of Chapter 5, declared once: pages and the API both dispatch through these tables."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from portal.forms import BootstrapMixin
from portal.workflow import Action, ActionTable
from security import services


class GradingCommentInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReturnInput(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, help_text=_("退回理由和需要修改的内容（必填）。"))


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请写明退回理由。"}
    )


GRADING_ACTIONS = ActionTable(
    Action(
        name="submit",
        label=_("提交备案"),
        service=services.grading_submit,
        confirm=_("提交后由主管部门和信息化主管部门审核。"),
    ),
    Action(
        name="supervisor_approve",
        label=_("主管部门审核同意"),
        service=services.grading_supervisor_approve,
        input=GradingCommentInput,
        form=CommentForm,
        confirm=_("审核同意后备案报送信息化主管部门审核，不能撤回。"),
    ),
    Action(
        name="approve",
        label=_("准予备案"),
        service=services.grading_approve,
        input=GradingCommentInput,
        form=CommentForm,
        confirm=_("准予备案后自动编号并生成备案证明。"),
    ),
    Action(
        name="return",
        label=pgettext_lazy("action", "退回修改"),
        service=services.grading_return,
        input=ReturnInput,
        form=ReturnForm,
        confirm=_("退回后运营使用单位须修改定级并重新提交备案。"),
    ),
    object_arg="grading",
)
