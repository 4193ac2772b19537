"""Attachments: refused files leave nothing behind; uploads and downloads respect who may see and change."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import Attachment, TimelineEvent
from portal.services import attachment_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


def refused(*, obj, actor, name, content, media_root):
    before = TimelineEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        attachment_create(obj=obj, uploaded=SimpleUploadedFile(name, content), actor=actor)
    assert list(error.value.message_dict) == ["file"]
    assert Attachment.objects.count() == 0
    assert TimelineEvent.objects.count() == before
    assert stored_files(media_root) == []
    return error.value.message_dict["file"][0]


def test_it_stores_a_good_file_with_its_hash_and_uploader(orgs, manager, media_root):
    attachment = attachment_create(
        obj=orgs["agency"], uploaded=SimpleUploadedFile("批复.pdf", PDF), actor=manager, description="立项批复"
    )
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.size == len(PDF)
    assert attachment.mime_type == "application/pdf"
    assert attachment.uploaded_by == manager
    assert attachment.original_name == "批复.pdf"
    assert [path.read_bytes() for path in stored_files(media_root)] == [PDF]
    # The stored path comes from the hash, never from the user's file name.
    assert "批复" not in attachment.file.name
    assert TimelineEvent.objects.filter(action="attachment_added", object_id=orgs["agency"].pk).exists()


def test_it_refuses_a_wrong_extension(orgs, manager, media_root):
    message = refused(obj=orgs["agency"], actor=manager, name="setup.exe", content=EXE, media_root=media_root)
    assert "不支持的文件类型“.exe”" in message
    assert "pdf" in message  # says what is accepted


def test_it_refuses_an_executable_renamed_to_pdf(orgs, manager, media_root):
    message = refused(obj=orgs["agency"], actor=manager, name="报告.pdf", content=EXE, media_root=media_root)
    assert "文件内容与扩展名“.pdf”不符" in message


def test_it_refuses_a_file_over_the_size_limit(orgs, manager, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    content = PDF + b"0" * 1024
    message = refused(obj=orgs["agency"], actor=manager, name="big.pdf", content=content, media_root=media_root)
    assert "文件过大" in message
    assert "1.0 KB" in message or "1.0 KB" in message.replace("\xa0", " ")


def test_it_refuses_an_empty_file(orgs, manager, media_root):
    message = refused(obj=orgs["agency"], actor=manager, name="empty.pdf", content=b"", media_root=media_root)
    assert "文件为空" in message


def test_it_refuses_a_file_without_extension(orgs, manager, media_root):
    message = refused(obj=orgs["agency"], actor=manager, name="README", content=PDF, media_root=media_root)
    assert "无扩展名" in message


# --- Upload view ---


def upload_url(org):
    return reverse("organization-attachment-create", args=[org.uuid])


def test_it_uploads_through_the_detail_page(client, manager, orgs, media_root):
    client.force_login(manager)
    response = client.post(
        upload_url(orgs["agency"]), {"file": SimpleUploadedFile("批复.pdf", PDF), "description": "立项批复"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    attachment = Attachment.objects.get()
    assert "批复.pdf" in page
    assert attachment.sha256[:12] in page
    assert "manager" in page  # uploader
    assert reverse("attachment-download", args=[attachment.uuid]) in page


def test_it_shows_a_refused_upload_as_a_field_error(client, manager, orgs, media_root):
    client.force_login(manager)
    response = client.post(upload_url(orgs["agency"]), {"file": SimpleUploadedFile("报告.pdf", EXE)})
    assert response.status_code == 400
    assert "文件内容与扩展名“.pdf”不符" in response.content.decode()
    assert response.context["attachment_form"].errors["file"]
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_it_asks_for_a_file_when_none_was_chosen(client, manager, orgs, media_root):
    client.force_login(manager)
    response = client.post(upload_url(orgs["agency"]), {})
    assert response.status_code == 400
    assert "请选择要上传的文件" in response.content.decode()


def test_it_forbids_upload_to_a_clerk_who_can_only_see(client, clerk, orgs, media_root):
    client.force_login(clerk)
    response = client.post(upload_url(orgs["agency"]), {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 403
    assert Attachment.objects.count() == 0
    assert (
        'data-testid="attachment-form"'
        not in client.get(reverse("organization-detail", args=[orgs["agency"].uuid])).content.decode()
    )


def test_it_hides_upload_from_an_outsider_with_404(client, other_clerk, orgs, media_root):
    client.force_login(other_clerk)
    response = client.post(upload_url(orgs["agency"]), {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 404


def test_it_refuses_get_on_the_upload_url(client, manager, orgs):
    client.force_login(manager)
    assert client.get(upload_url(orgs["agency"])).status_code == 405


# --- Download view ---


@pytest.fixture
def attachment(orgs, manager, media_root):
    return attachment_create(obj=orgs["agency"], uploaded=SimpleUploadedFile("批复.pdf", PDF), actor=manager)


def test_it_downloads_for_someone_who_may_see_the_subject(client, clerk, attachment):
    client.force_login(clerk)
    response = client.get(reverse("attachment-download", args=[attachment.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_hides_a_download_from_an_outsider_with_404(client, other_clerk, attachment):
    client.force_login(other_clerk)
    assert client.get(reverse("attachment-download", args=[attachment.uuid])).status_code == 404


def test_it_redirects_the_public_from_a_download_to_login(client, attachment):
    response = client.get(reverse("attachment-download", args=[attachment.uuid]))
    assert response.status_code == 302


def test_it_returns_404_for_an_unknown_attachment(client, official):
    import uuid

    client.force_login(official)
    assert client.get(reverse("attachment-download", args=[uuid.uuid4()])).status_code == 404
