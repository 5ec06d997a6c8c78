"""Evidence attachments (佐证材料): files kept with progress reports, checked by type and size."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from domain.shared.errors import InvalidValue, TooLarge
from domain.shared.ids import new_id

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
OOXML = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Accepted content types and the leading bytes each must start with: the declared type is not trusted.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (OOXML,),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (OOXML,),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (OOXML,),
    "application/msword": (OLE,),
    "application/vnd.ms-excel": (OLE,),
    "application/zip": (OOXML,),
    "text/plain": (),
}


@dataclass(eq=False, kw_only=True)
class Attachment:
    """佐证材料: one uploaded file, with its sha256 kept to prove it was not changed."""

    id: str = field(default_factory=new_id)
    name: str
    content_type: str
    size: int
    sha256: str
    content: bytes
    uploaded_by: str | None = None
    uploaded_at: datetime

    @classmethod
    def upload(
        cls,
        *,
        name: str,
        content_type: str,
        content: bytes,
        by: str | None,
        at: datetime,
        max_bytes: int = MAX_ATTACHMENT_BYTES,
    ) -> Attachment:
        """Check the file and keep it: refused when empty, too large, or not what it claims to be."""
        content_type = (content_type or "").split(";")[0].strip().lower()
        name = (name or "").strip().replace("/", "_").replace("\\", "_")[:255]
        if not name:
            raise InvalidValue("the file needs a name", "文件须有名称", field="file")
        if not content:
            raise InvalidValue("the file is empty", "文件为空", field="file")
        if len(content) > max_bytes:
            raise TooLarge(f"the file exceeds {max_bytes} bytes", f"文件超过{max_bytes}字节", field="file")
        if content_type not in SIGNATURES:
            raise InvalidValue(
                f"content type {content_type or '(none)'} is not accepted; accepted: {', '.join(SIGNATURES)}",
                f"不接受的文件类型 {content_type or '(无)'}",
                field="file",
            )
        if not _looks_like(content_type, content):
            raise InvalidValue(
                f"the file's content is not {content_type}",
                f"文件内容与类型 {content_type} 不符",
                field="file",
            )
        return cls(
            name=name,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            uploaded_by=by,
            uploaded_at=at,
        )


def _looks_like(content_type: str, content: bytes) -> bool:
    signatures = SIGNATURES[content_type]
    if content_type == "text/plain":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in content
    return any(content.startswith(s) for s in signatures)
