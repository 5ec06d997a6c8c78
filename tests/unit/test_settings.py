"""Settings: the development key is refused anywhere else, with a message that says what to do."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from infrastructure.settings import Settings


@pytest.mark.parametrize("environment", ["production", "test"])
def test_default_or_short_secret_key_is_refused_outside_development(environment):
    with pytest.raises(ValidationError, match="GAOXIN_SECRET_KEY"):
        Settings(environment=environment)
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(environment=environment, secret_key="short")


def test_a_real_secret_key_is_accepted_and_never_shown():
    key = "q7Rt-2mXz_9LpV4nB8kW1yH6dF3gJ0sAeUc"
    settings = Settings(environment="production", secret_key=key)
    assert key[:8] not in repr(settings)


def test_cli_refuses_to_start_with_the_default_key_in_production(monkeypatch):
    env = {"GAOXIN_ENVIRONMENT": "production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "services.cli", "migrate"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "GAOXIN_SECRET_KEY" in result.stderr


def test_backoff_schedule_is_read_from_the_setting():
    assert Settings(webhook_backoff="1, 2,4").backoff_seconds() == [1.0, 2.0, 4.0]
