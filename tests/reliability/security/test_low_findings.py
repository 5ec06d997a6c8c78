"""Finding 9, the low ones: /me/password failures count toward the lockout; masked figures are not
bracketed by verdicts; one digit limit for every amount; usernames unique under NFKC and case; the last
active admin stays; GAOXIN_ADMIN_PASSWORD does not re-enable a disabled admin; weak or public secret keys;
cursors bound to their endpoint; common passwords refused."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from infrastructure.settings import DEVELOPMENT_SECRET_KEY, Settings
from services.api.app import create_app
from services.bootstrap import bootstrap_admin
from tests.api.cultivation.helpers import register
from tests.api.ledgers.helpers import upload, workbook
from tests.conftest import make_settings
from tests.support.accounts import PASSWORD, bearer, make_user, password_login


async def _patch(client, headers, url: str, body: dict):
    etag = (await client.get(url, headers=headers)).headers["etag"]
    return await client.patch(url, json=body, headers=headers | {"If-Match": etag})


# --- /me/password and the lockout -------------------------------------------------------------------


@pytest.fixture
def settings(database_url):
    return make_settings(database_url, login_lock_failures=3)


async def _change(client, headers, current: str, new: str = "New-Secret-2025"):
    body = {"current_password": current, "new_password": new}
    return await client.post("/api/v1/me/password", json=body, headers=headers)


async def test_wrong_current_passwords_on_me_password_count_toward_the_lockout(app, client):
    await make_user(app, "feng", ["viewer"])
    me = await bearer(client, "feng")
    for _ in range(2):  # just under the limit of 3: the account still works
        assert (await _change(client, me, "Wrong-pass-1")).status_code == 422
    assert (await password_login(client, "feng")).status_code == 200
    me = await bearer(client, "feng")  # a success resets the count
    for _ in range(3):  # at the limit
        assert (await _change(client, me, "Wrong-pass-1")).status_code == 422
    assert (await password_login(client, "feng")).status_code == 429
    locked = await _change(client, me, PASSWORD)  # the right password, while locked: refused unhashed
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0


# --- masked figures are not bracketed ------------------------------------------------------------


def _verdicts(rows: list[dict]) -> list:
    found = []
    for row in rows:
        found.append(row["passed"])
        if isinstance(row["actual"], list):
            found += _verdicts(row["actual"])
    return found


async def test_a_viewer_sees_no_verdict_of_a_criterion_whose_figures_are_masked(app, client, admin):
    await make_user(app, "viewer_m", ["viewer"])
    viewer = await bearer(client, "viewer_m")
    enterprise = await register(client, admin, name="掩码科技", registered_on="2018-01-01")
    figures = {"revenue": 4800, "rd_expense": 300, "total_cost": 4000, "employees": 80, "tech_staff": 20}
    url = f"/api/v1/enterprises/{enterprise['id']}"
    assert (
        await client.put(f"{url}/metrics/2023", json=figures | {"total_assets": 9000}, headers=admin)
    ).is_success
    shown = (await client.get(f"{url}/eligibility", params={"year": 2023}, headers=admin)).json()
    masked = (await client.get(f"{url}/eligibility", params={"year": 2023}, headers=viewer)).json()
    assert any(v is not None for r in shown["results"] for v in _verdicts(r["criteria"]))
    for result in masked["results"]:
        assert result["eligible"] is None, result
        assert set(_verdicts(result["criteria"])) == {None}, result


# --- one digit limit for every amount ---------------------------------------------------------------


async def test_every_amount_has_the_same_digit_limit_and_answers_422_beyond_it(client, admin):
    enterprise = await register(client, admin, name="金额科技")
    metrics = f"/api/v1/enterprises/{enterprise['id']}/metrics/2023"
    for value, status in (
        ("999999999999999999.999999", 201),  # 18 integer digits and 6 decimals: at the limit
        ("1e17", 201),
        ("1e18", 422),  # 19 integer digits
        ("0.0000001", 422),  # 7 decimals
        ("1e28", 422),
        (1e30, 422),
    ):
        response = await client.put(metrics, json={"revenue": value}, headers=admin)
        assert response.status_code in ((status, 200) if status == 201 else (status,)), (value, response.text)
    chain = await client.post("/api/v1/chains", json={"name": "金额链"}, headers=admin)
    targets = f"/api/v1/chains/{chain.json()['id']}/targets"
    for value, status in (("999999999999999999", 201), ("1e30", 422), ("1e18", 422)):
        response = await client.post(
            targets, json={"company_name": "某公司", "planned_investment": value}, headers=admin
        )
        assert response.status_code == status, (value, response.text)


async def test_an_imported_amount_over_the_limit_is_a_row_error_not_a_500(client, admin):
    enterprise = await register(client, admin, name="导入金额科技")
    sheet = workbook([["企业名称", "年度", "营业收入"], [enterprise["name"], 2023, "1e28"]])
    response = await upload(client, "metrics", sheet, admin)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["row"] == 2


# --- usernames ------------------------------------------------------------------------------------


async def test_usernames_are_unique_under_nfkc_and_case_and_latin_only(app, client, admin):
    async def create(username: str):
        body = {"username": username, "password": "Sun-Shine-2025", "roles": ["viewer"]}
        return await client.post("/api/v1/users", json=body, headers=admin)

    assert (await create("liu")).status_code == 201
    assert (await create("Liu")).status_code == 409
    assert (await create("ｌｉｕ")).status_code == 409  # full-width: NFKC makes it liu
    assert (await create("lіu")).status_code == 422  # a Cyrillic і: a look-alike, refused
    assert (await create("аdmin")).status_code == 422
    assert (await create("liu2")).status_code == 201
    # Signing in and the lockout go by the same key: LIU is liu.
    assert (await password_login(client, "LIU", "Sun-Shine-2025")).status_code == 200


async def test_the_lockout_cannot_be_dodged_by_changing_case(app, client):
    await make_user(app, "chen", ["viewer"])
    for name in ("Chen", "CHEN", "ｃｈｅｎ"):  # three failures under three spellings: one username
        assert (await password_login(client, name, "Wrong-pass-1")).status_code == 400
    assert (await password_login(client, "chen")).status_code == 429


# --- the last active admin ---------------------------------------------------------------------------


async def test_the_last_active_admin_cannot_deactivate_or_demote_itself(app, client, admin):
    me = (await client.get("/api/v1/me", headers=admin)).json()
    url = f"/api/v1/users/{me['id']}"
    for change in ({"active": False}, {"roles": ["viewer"]}):
        refused = await _patch(client, admin, url, change)
        assert refused.status_code == 409 and refused.json()["rule"] == "last-admin", refused.text
    await make_user(app, "second_admin", ["admin"])
    assert (await _patch(client, admin, url, {"roles": ["viewer"]})).status_code == 200  # one remains


async def test_admin_password_at_start_does_not_re_enable_a_disabled_admin(app, client, admin, database_url):
    settings = make_settings(database_url, admin_password="Start-Up-2025!")
    await bootstrap_admin(settings)
    admin_id = next(
        u["id"]
        for u in (await client.get("/api/v1/users", headers=admin)).json()["items"]
        if u["username"] == "admin"
    )
    assert (await _patch(client, admin, f"/api/v1/users/{admin_id}", {"active": False})).status_code == 200
    await bootstrap_admin(settings)  # the next restart
    assert (await client.get(f"/api/v1/users/{admin_id}", headers=admin)).json()["active"] is False
    assert (await password_login(client, "admin", "Start-Up-2025!")).status_code == 400


# --- secret keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["a" * 32, "ab" * 16, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "1234567812345678123456781234567812"],
)
def test_production_refuses_a_low_entropy_secret_key(key):
    with pytest.raises(ValidationError, match="entropy"):
        Settings(environment="production", secret_key=key)


@pytest.mark.parametrize("key", ["0f6c1ad39e8b4c7d2a5e9f1b3c8d7e60", "x5Qp-7rTz_2LmN9vK3wB8yH1dF6gJ4sA0eU"])
def test_random_keys_of_32_characters_or_more_pass(key):
    assert Settings(environment="production", secret_key=key).secret_key.get_secret_value() == key


def test_a_weak_audit_key_is_refused_too():
    with pytest.raises(ValidationError, match="GAOXIN_AUDIT_KEY"):
        Settings(
            environment="production", secret_key="x5Qp-7rTz_2LmN9vK3wB8yH1dF6gJ4sA0eU", audit_key="a" * 40
        )


def test_development_on_the_public_key_says_so(caplog, database_url):
    with caplog.at_level(logging.WARNING):
        create_app(Settings(environment="development", database_url=database_url))
    warned = [
        r for r in caplog.records if r.levelno == logging.WARNING and "GAOXIN_SECRET_KEY" in r.getMessage()
    ]
    assert warned and DEVELOPMENT_SECRET_KEY not in warned[0].getMessage()


# --- cursors ----------------------------------------------------------------------------------------


async def test_a_cursor_is_accepted_only_by_the_endpoint_that_issued_it(client, admin):
    for n in range(3):
        await client.post("/api/v1/clients", json={"name": f"系统{n}", "scopes": ["read"]}, headers=admin)
    cursor = (await client.get("/api/v1/clients", params={"limit": 2}, headers=admin)).json()["next_cursor"]
    assert (await client.get("/api/v1/clients", params={"cursor": cursor}, headers=admin)).status_code == 200
    elsewhere = await client.get("/api/v1/users", params={"cursor": cursor}, headers=admin)
    assert elsewhere.status_code == 400 and elsewhere.json()["type"] == "/problems/bad-request"


# --- common passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "common", ["Password1!", "P@ssw0rd", "Admin@123", "Qwerty123!", "Aa123456", "Abc@1234", "1qaz@WSX"]
)
async def test_common_passwords_are_refused_wherever_a_password_is_set(app, client, admin, common):
    body = {"username": "newcomer", "password": common, "roles": ["viewer"]}
    created = await client.post("/api/v1/users", json=body, headers=admin)
    assert created.status_code == 422 and "common" in created.json()["errors"][0]["msg"], created.text
    await make_user(app, "changer", ["viewer"])
    me = await bearer(client, "changer")
    assert (await _change(client, me, PASSWORD, common)).status_code == 422


async def test_an_uncommon_password_of_the_same_shape_is_fine(client, admin):
    body = {"username": "newcomer2", "password": "Tiexi@1937", "roles": ["viewer"]}
    assert (await client.post("/api/v1/users", json=body, headers=admin)).status_code == 201
