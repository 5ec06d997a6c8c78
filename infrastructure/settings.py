"""Settings (配置) from the environment, prefix GAOXIN_ (API.md, Configuration)."""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.shared.networks import parse_networks

# A development key: refused anywhere but in development (see `refuse_weak_keys`).
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{Path('var') / 'gaoxin.db'}"
MIN_KEY_LENGTH = 32
# Below this estimate a key is a pattern, not a secret: 32 × "a" is 0 bits, 1234…1234 is 24, a random
# 32-digit hex key ≈ 115 (none of 100,000 drawn came under 85).
MIN_KEY_BITS = 80


def estimated_bits(key: str) -> float:
    """A rough measure of a key's randomness: its shortest repeating unit (abab… is ab) times the Shannon
    entropy of that unit's characters. It refuses the obvious (32 × a, 1234…1234), not every weak key."""
    period = next(p for p in range(1, len(key) + 1) if all(key[i] == key[i % p] for i in range(len(key))))
    unit = key[:period]
    counts = Counter(unit).values()
    return -sum(n / len(unit) * math.log2(n / len(unit)) for n in counts) * len(unit)


def key_problem(key: str) -> str | None:
    """Why a key is not fit outside development, or None."""
    if len(key) < MIN_KEY_LENGTH:
        return f"shorter than {MIN_KEY_LENGTH} characters"
    bits = max(0.0, estimated_bits(key))
    if bits < MIN_KEY_BITS:
        return f"of too little entropy (about {bits:.0f} bits, at least {MIN_KEY_BITS} needed)"
    return None


class Settings(BaseSettings):
    """Every setting of the service; documented in README.md."""

    model_config = SettingsConfigDict(env_prefix="GAOXIN_", env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET_KEY)
    admin_password: SecretStr | None = None
    log_level: str = "INFO"
    # `console` (a readable line) or `json` (one object a line, for log shipping); by default console in
    # development and JSON everywhere else.
    log_format: Literal["console", "json"] | None = None
    # /docs, /redoc and /openapi.json: shown unless GAOXIN_ENVIRONMENT=production (where true shows them).
    api_docs: bool | None = None
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # What one import may cost (docs/SECURITY.md: 1.5 × the largest legitimate workbook, measured).
    import_max_unpacked_bytes: int = Field(default=128 * 1024 * 1024, ge=1024)
    import_max_seconds: float = Field(default=180.0, gt=0)
    webhook_backoff: str = "5,300,1800,7200,18000,36000,36000"
    # CIDRs webhooks may reach besides public addresses (the park brain on the government intranet).
    webhook_allowed_networks: str = ""
    relay_in_process: bool = True
    # How often the relay's sweep looks again within a day (it always runs when the day changes).
    sweep_interval_seconds: float = Field(default=3600.0, gt=0)
    nats_url: str | None = None
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=14, ge=1, le=365)
    login_lock_failures: int = Field(default=10, ge=1)
    login_lock_minutes: int = Field(default=15, ge=1)
    # Failed passwords from one address within GAOXIN_LOGIN_LOCK_MINUTES before it is refused (429).
    login_source_failures: int = Field(default=100, ge=1)
    # CIDRs exempt from that address limit (never from the per-username lockout): a proxy, the app's backend.
    login_trusted_networks: str = ""
    # Argon2 cost; lower only for tests (hashing at full cost makes a login take ~50 ms on purpose).
    password_memory_kib: int = Field(default=65536, ge=1024)
    password_time_cost: int = Field(default=3, ge=1)
    password_hash_threads: int = Field(default=2, ge=1, le=64)  # the pool hashing runs in, off the event loop
    cny_per_usd: Decimal = Decimal("7.0")
    db_pool_size: int = Field(default=10, ge=1)
    db_connect_timeout: float = Field(default=5.0, gt=0)
    # The audit chain's HMAC key; comma-separated: the first signs, the others (retired) still verify.
    audit_key: SecretStr | None = None

    @field_validator("login_trusted_networks", "webhook_allowed_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)  # refuse a typo at start-up rather than trust nobody (or everybody) silently
        return value

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @model_validator(mode="after")
    def refuse_weak_keys(self) -> Settings:
        """Refuse to start outside development with a missing, default, short or low-entropy secret key
        (32 × a would sign every token), and likewise with such an audit key."""
        if self.audit_key is not None and not self.audit_key_texts():
            raise ValueError("GAOXIN_AUDIT_KEY is set but holds no key")
        if self.environment == "development":
            return self
        key = self.secret_key.get_secret_value()
        problem = "the published development key" if key == DEVELOPMENT_SECRET_KEY else key_problem(key)
        if problem:
            raise ValueError(
                f"GAOXIN_SECRET_KEY is {problem}: set it to a random value of at least {MIN_KEY_LENGTH} "
                f"characters when GAOXIN_ENVIRONMENT={self.environment} (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`) — an entropy check refuses patterns"
            )
        if self.audit_key is not None:
            for text in self.audit_key_texts():
                if problem := key_problem(text):
                    raise ValueError(f"a key of GAOXIN_AUDIT_KEY is {problem}: use random keys (entropy)")
        return self

    @property
    def log_style(self) -> str:
        return self.log_format or ("console" if self.environment == "development" else "json")

    @property
    def docs_exposed(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.environment != "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def audit_key_texts(self) -> list[str]:
        """The audit chain's keys, signing key first; by default the secret key (a key is derived from it)."""
        if self.audit_key is None:
            return [self.secret_key.get_secret_value()]
        return [part.strip() for part in self.audit_key.get_secret_value().split(",") if part.strip()]

    def backoff_seconds(self) -> list[float]:
        return [float(part) for part in self.webhook_backoff.split(",") if part.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
