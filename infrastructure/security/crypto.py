"""Secrets kept at rest encrypted (webhook signing secrets, stored first responses): Fernet, keyed from
GAOXIN_SECRET_KEY."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

_fernet: Fernet | None = None


def configure(secret_key: str) -> None:
    """Derive the encryption key; called once at start-up (app and CLI)."""
    global _fernet
    digest = hashlib.sha256(b"secrets-at-rest:" + secret_key.encode()).digest()
    _fernet = Fernet(base64.urlsafe_b64encode(digest))


def _cipher() -> Fernet:
    if _fernet is None:
        raise RuntimeError("infrastructure.security.crypto.configure() was not called")
    return _fernet


SEALED = b"gxf1:"  # marks a sealed value; the stored responses of before revision 0008 lack it


def seal(data: bytes) -> bytes:
    """Encrypt (and authenticate) bytes for storage."""
    return SEALED + _cipher().encrypt(data)


def unseal(data: bytes) -> bytes:
    """The bytes `seal` was given; unsealed bytes (stored before sealing began) come back as they are."""
    if not data.startswith(SEALED):
        return data
    try:
        return _cipher().decrypt(data[len(SEALED) :])
    except InvalidToken as exc:
        raise RuntimeError("a stored value cannot be decrypted: GAOXIN_SECRET_KEY changed?") from exc


class EncryptedString(TypeDecorator):
    """A string column whose stored value is Fernet ciphertext."""

    impl = String(512)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else _cipher().encrypt(value.encode()).decode()

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        try:
            return _cipher().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise RuntimeError("a stored secret cannot be decrypted: GAOXIN_SECRET_KEY changed?") from exc
