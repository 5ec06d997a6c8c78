"""A client generated from /openapi.json by openapi-python-client signs in, reads and writes with only what
the schema declares: the ETag it read goes back as the generated `if_match` argument, never as a header
written by hand."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import httpx
import pytest

from services.api.app import create_app
from tests.conftest import make_settings
from tests.support.accounts import PASSWORD, make_user

PACKAGE = "gaoxin_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# No post-processing hooks: the generated code is imported, not read, so formatting it only costs time.
CONFIG = f"package_name_override: {PACKAGE}\npost_hooks: []\n"


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """The generator's own command run on the app's schema (no database needed); the package, imported."""
    folder = tmp_path_factory.mktemp("generated")
    schema = create_app(make_settings("sqlite+aiosqlite:///never-opened.db")).openapi()
    (folder / "openapi.json").write_text(json.dumps(schema))
    (folder / "config.yaml").write_text(CONFIG)
    command = [str(GENERATOR), "generate", "--path", "openapi.json", "--config", "config.yaml"]
    command += ["--meta", "none", "--output-path", PACKAGE]
    run = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder))
        yield importlib.import_module(PACKAGE)
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture
def generated(app, package):
    return Generated(app, package)


class Generated:
    """The generated package, its operations found by the schema's operationId and tag."""

    def __init__(self, app, package) -> None:
        self.app, self.package, self.schema = app, package, app.openapi()

    def operation(self, method: str, path: str):
        entry = self.schema["paths"][path][method]
        module = re.sub("_+", "_", entry["operationId"])  # the generator's snake case of the id
        return importlib.import_module(f"{PACKAGE}.api.{entry['tags'][0]}.{module}")

    def body_type(self, operation):
        return typing.get_type_hints(operation.asyncio_detailed)["body"]

    def client(self, token: str | None = None):
        transport = {"transport": httpx.ASGITransport(app=self.app)}
        if token is None:
            return self.package.Client(base_url="http://testserver", httpx_args=transport)
        return self.package.AuthenticatedClient(
            base_url="http://testserver", token=token, httpx_args=transport
        )


async def _sign_in(generated: Generated, username: str) -> str:
    """The password grant through the generated token operation."""
    issue_token = generated.operation("post", "/api/v1/auth/token")
    form = generated.body_type(issue_token)(grant_type="password", username=username, password=PASSWORD)
    answer = await issue_token.asyncio_detailed(client=generated.client(), body=form)
    assert answer.status_code == 200, answer.content
    return answer.parsed.access_token


async def test_a_generated_client_patches_a_task_with_the_etag_it_read(app, generated):
    await make_user(app, "generated-planner", ["planner"])
    client = generated.client(await _sign_in(generated, "generated-planner"))
    models = generated.package.models

    create_plan = generated.operation("post", "/api/v1/plans")
    plan = await create_plan.asyncio(
        client=client,
        body=models.PlanIn(title="十四五规划", start_year=2021, end_year=2025, issued="2021-12"),
    )
    create_task = generated.operation("post", "/api/v1/tasks")
    created = await create_task.asyncio_detailed(
        client=client, body=models.TaskIn(plan_id=plan.id, title="建设科技园")
    )
    assert created.status_code == 201, created.content

    get_task = generated.operation("get", "/api/v1/tasks/{task_id}")
    read = await get_task.asyncio_detailed(created.parsed.id, client=client)
    patch_task = generated.operation("patch", "/api/v1/tasks/{task_id}")
    # The schema makes If-Match a required argument of the generated call, not an afterthought.
    assert inspect.signature(patch_task.asyncio_detailed).parameters["if_match"].default is inspect._empty
    changed = await patch_task.asyncio_detailed(
        created.parsed.id,
        client=client,
        body=models.TaskPatch(title="建设科技产业园"),
        if_match=read.headers["etag"],
    )
    assert changed.status_code == 200, changed.content
    assert changed.parsed.title == "建设科技产业园"
    assert changed.headers["etag"] != read.headers["etag"]

    stale = await patch_task.asyncio_detailed(
        created.parsed.id, client=client, body=models.TaskPatch(title="旧版本"), if_match=read.headers["etag"]
    )
    assert stale.status_code == 412 and stale.parsed.type_ == "/problems/precondition-failed"
    assert (await get_task.asyncio(created.parsed.id, client=client)).title == "建设科技产业园"


async def test_a_generated_client_sends_an_idempotency_key_as_an_argument(app, generated):
    await make_user(app, "generated-planner", ["planner"])
    client = generated.client(await _sign_in(generated, "generated-planner"))
    create_plan = generated.operation("post", "/api/v1/plans")
    body = generated.package.models.PlanIn(
        title="十四五规划", start_year=2021, end_year=2025, issued="2021-12"
    )

    first = await create_plan.asyncio_detailed(client=client, body=body, idempotency_key="plan-2021")
    again = await create_plan.asyncio_detailed(client=client, body=body, idempotency_key="plan-2021")
    assert first.status_code == again.status_code == 201
    assert again.parsed.id == first.parsed.id and again.headers["idempotent-replayed"] == "true"


async def test_a_generated_client_signs_in_as_a_city_system(app, generated):
    """The client-credentials grant: a client made through the generated API, its secret shown once."""
    await make_user(app, "generated-admin", ["admin"])
    admin = generated.client(await _sign_in(generated, "generated-admin"))
    models = generated.package.models
    create_client = generated.operation("post", "/api/v1/clients")
    body = models.ClientIn(name="园区大脑", scopes=[models.Scope("read")])
    made = await create_client.asyncio(client=admin, body=body)
    issue_token = generated.operation("post", "/api/v1/auth/token")
    form = generated.body_type(issue_token)(
        grant_type="client_credentials", client_id=made.client_id, client_secret=made.client_secret
    )
    token = await issue_token.asyncio(client=generated.client(), body=form)
    list_tasks = generated.operation("get", "/api/v1/tasks")
    answer = await list_tasks.asyncio_detailed(client=generated.client(token.access_token))
    assert answer.status_code == 200 and answer.parsed.items == []
