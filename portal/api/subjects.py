"""What every workflow object carries over the API, whatever its chapter: its timeline and its attachments.

A chapter's viewset lists them under its object (``…/{id}/timeline/``, ``…/{id}/attachments/``) after its
own scoped lookup; the file itself is downloaded here, ``GET /api/v1/attachments/{id}/``, scoped like the
page download (``attachment_get_for``: the subject must be visible to the caller, else 404).
"""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers
from rest_framework.views import APIView

from portal.api.rows import FastRows
from portal.models import Attachment, TimelineEvent
from portal.selectors import attachment_get_for
from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS


class _BinaryRenderer(renderers.BaseRenderer):
    """Lets a client ask for a file by its type (``Accept: application/pdf``) without a 406. Files are
    answered by the view as they are; an error in their place is problem+json (its own content type)."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | bytearray):
            return data
        return renderers.JSONRenderer().render(data, renderer_context=renderer_context)


class PDFRenderer(_BinaryRenderer):
    media_type = "application/pdf"
    format = "pdf"


class FileRenderer(_BinaryRenderer):
    media_type = "application/octet-stream"
    format = "file"


FILE_RENDERERS = [renderers.JSONRenderer, FileRenderer]
PDF_RENDERERS = [renderers.JSONRenderer, PDFRenderer]


class ActorSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class TimelineEventSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    actor = ActorSerializer(read_only=True, allow_null=True, help_text="操作人；系统自动处理时为 null。")
    action_display = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEvent
        fields = ["id", "action", "action_display", "actor", "from_state", "to_state", "comment", "data", "created_at"]
        read_only_fields = fields

    def get_action_display(self, event) -> str:
        return str(TIMELINE_ACTION_LABELS.get(event.action, event.action))


class AttachmentSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    uploaded_by = ActorSerializer(read_only=True)
    download = serializers.SerializerMethodField(help_text="下载地址（GET，权限同所属对象）。")

    class Meta:
        model = Attachment
        fields = ["id", "name", "mime_type", "size", "sha256", "description", "uploaded_by", "uploaded_at", "download"]
        read_only_fields = fields

    def get_download(self, attachment) -> str:
        return f"/api/v1/attachments/{attachment.uuid}/"


class AttachmentUploadInput(serializers.Serializer):
    """multipart/form-data. Type, size and content are checked by the attachment service (400 on ``file``)."""

    file = serializers.FileField(help_text="PDF、Office 文档、图片或压缩包；单个不超过 ATTACHMENT_MAX_BYTES。")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AttachmentDownloadView(APIView):
    """Download one attachment; 404 unless the caller may see the object it belongs to."""

    renderer_classes = FILE_RENDERERS

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="下载附件")
    def get(self, request, id):
        attachment = attachment_get_for(user=request.user, uuid=id)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.mime_type,
        )
