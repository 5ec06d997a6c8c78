"""Access tokens (JWT, HS256 pinned: `none` and every other algorithm refused) and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from domain.identity.policy import Principal

ALGORITHM = "HS256"
ISSUER = "gaoxin"


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says: who (user or client) and, for a user, which session."""

    kind: str
    subject: str
    session_id: str | None


class JwtTokenSigner:
    """Sign and read tokens with a key derived from GAOXIN_SECRET_KEY."""

    def __init__(self, secret_key: str, *, access_minutes: int, remembered: int = 10_000) -> None:
        self._key = hashlib.sha256(b"access-token:" + secret_key.encode()).digest()
        self.access_seconds = access_minutes * 60
        # Tokens whose signature was checked, with their expiry: the same string checks the same way again
        # (the key does not change under a signer), so a request repeats only the expiry test.
        self._verified: OrderedDict[str, tuple[AccessClaims, int]] = OrderedDict()
        self._remembered = remembered

    def access_token(self, principal: Principal, now: datetime) -> tuple[str, int]:
        claims = {
            "iss": ISSUER,
            "sub": principal.id,
            "kind": principal.kind,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=self.access_seconds)).timestamp()),
            "jti": secrets.token_hex(8),
        }
        if principal.session_id:
            claims["sid"] = principal.session_id
        return jwt.encode(claims, self._key, algorithm=ALGORITHM), self.access_seconds

    def read_access_token(self, token: str) -> AccessClaims | None:
        """The claims of a valid token; None when expired, tampered, foreign or of another algorithm."""
        known = self._verified.get(token)
        if known is not None:
            claims, expires = known
            if time.time() < expires:  # PyJWT's own test: expired from `exp` on
                self._verified.move_to_end(token)
                return claims
            del self._verified[token]
            return None
        found = self._verify(token)
        if found is None:
            return None
        claims, expires, issued = found
        if isinstance(expires, int) and issued <= time.time():  # else checked in full again next time
            self._verified[token] = (claims, expires)
            if len(self._verified) > self._remembered:
                self._verified.popitem(last=False)
        return claims

    def _verify(self, token: str) -> tuple[AccessClaims, object, float] | None:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss"]},
            )
        except jwt.PyJWTError:
            return None
        if claims.get("kind") not in ("user", "client"):
            return None
        return AccessClaims(claims["kind"], claims["sub"], claims.get("sid")), claims["exp"], claims["iat"]

    def session_of_access_token(self, token: str) -> tuple[str, str] | None:
        claims = self.read_access_token(token)
        return (claims.kind, claims.session_id) if claims and claims.session_id else None

    def new_refresh_token(self) -> tuple[str, str]:
        token = "gxr_" + secrets.token_urlsafe(32)
        return token, self.hash_refresh_token(token)

    def hash_refresh_token(self, token: str) -> str:
        # Refresh tokens are 256 random bits: a fast hash is enough to keep them unusable if the table leaks.
        return hashlib.sha256(token.encode()).hexdigest()
