"""Limits of the core that are policy, not law; each chapter's legal limits live in its own rules.py."""

from portal.models import Level
from portal.workflow import Refused

# Upload types accepted as attachments: extension -> (MIME type, leading bytes of a genuine file).
# The leading bytes are checked so that a renamed executable is refused whatever its name says.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "ofd": ("application/ofd", _ZIP),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "doc": ("application/msword", _OLE),
    "xls": ("application/vnd.ms-excel", _OLE),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "zip": ("application/zip", _ZIP),
}


# Document numbers (发文字号, GB/T 9704-2012 7.2.4): 机关代字 + kind of document + 〔year〕 + sequence + 号.
# The 机关代字 is a field of the issuing authority (Organization.document_code), entered by the authority;
# the city authority's is 京经信 unless it enters another. Never derived from a (translatable) display name.
CITY_DOCUMENT_CODE = "京经信"
DOCUMENT_CODE_MISSING = "document-code-missing"


def document_number_prefix(issuer, document_kind: str) -> str:
    """Prefix of a document number issued by ``issuer``: its 机关代字 followed by ``document_kind`` (审, 罚…).

    Refused (``document-code-missing``) for an authority that has not entered its code: guessing one would
    let two authorities issue the same number."""
    code = (getattr(issuer, "document_code", "") or "").strip()
    if not code and getattr(issuer, "level", "") == Level.CITY:
        code = CITY_DOCUMENT_CODE
    if not code:
        raise Refused(
            f"{issuer}尚未登记发文机关代字，无法编制文号。请在“单位信息”中填写发文机关代字后再签发。",
            code=DOCUMENT_CODE_MISSING,
        )
    return f"{code}{document_kind}"
