"""Attachment upload and download for any subject, reusable by every app.

The caller finds the subject through its own selector and checks that the user may change it;
these helpers then do the form handling (upload) or the scoped lookup and streaming (download).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from portal.forms.common import AttachmentForm
from portal.models import Attachment
from portal.selectors import attachment_get_for
from portal.services import attachment_create


def attachment_upload(request: HttpRequest, *, subject) -> tuple[AttachmentForm, Attachment | None]:
    """Validate and store one uploaded file on `subject` (access already checked by the caller).

    Returns the form (with field errors when the file was refused) and the attachment or None.
    """
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    try:
        attachment = attachment_create(
            obj=subject,
            uploaded=form.cleaned_data["file"],
            actor=request.user,
            description=form.cleaned_data["description"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return form, None
    return form, attachment


@require_GET
@login_required
def attachment_download(request: HttpRequest, uuid):
    """Stream an attachment to a user who may see its subject; 404 for everyone else."""
    attachment = attachment_get_for(user=request.user, uuid=uuid)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
