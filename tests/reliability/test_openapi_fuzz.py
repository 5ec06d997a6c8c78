"""Schemathesis over the whole OpenAPI schema, as admin and as viewer: no 5xx, every answer as the schema
says (status, content type, body, headers: an ETag exactly where declared), negative data refused with a 4xx.
Known schema findings: known.py."""

from __future__ import annotations

import os
import time

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.api.app import create_app
from tests.conftest import make_settings
from tests.reliability import known
from tests.reliability.figures import FIGURES
from tests.reliability.fuzz_world import fuzz_world

EXAMPLES = int(os.environ.get("GAOXIN_FUZZ_EXAMPLES", "3"))
PHASES = os.environ.get("GAOXIN_FUZZ_PHASES", "examples,fuzzing").split(",")


def etag_declared(ctx, response, case) -> None:
    """An ETag sent is declared for that answer (the converse is response_headers_conformance)."""
    if "etag" not in response.headers:
        return None
    definition = case.operation.responses.find_by_status_code(response.status_code)
    headers = definition.headers if definition is not None else None
    declared = {name.lower() for name, _ in headers.items()} if headers else set()
    if "etag" not in declared:
        raise AssertionError(f"{response.status_code} carries an ETag the schema does not declare for it")
    return None


POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    etag_declared,
]

# The schema is the app's own; building it needs no database (the engine connects on first use).
OPENAPI = create_app(make_settings("sqlite+aiosqlite:///never-opened.db")).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    allow_x00=True,  # refused with a 422 at the edge (test_hostile_input.py)
    # Tokens are ours (admin, viewer), sent with every call: mutating the Authorization header as a
    # parameter would only be undone by them; missing and bad tokens are tests/api/test_role_matrix.py's.
    with_security_parameters=False,
)
schema.config.phases.update(phases=PHASES)


@pytest.fixture(scope="module")
async def world(database_url):
    """Seeded data, an admin and a viewer with tokens, and the ids of real resources."""
    async with fuzz_world(database_url) as prepared:
        yield prepared


@pytest.fixture(scope="module")
def served(database_url, world):
    """The app under test; schemathesis runs it (and its lifespan) on its own event-loop thread."""
    yield create_app(make_settings(database_url))
    schemathesis.python.asgi.shutdown_lifespans()


def _call(case, app, headers: dict, scenario: str):
    began = time.perf_counter()
    response = case.call(app=app, headers=headers)
    FIGURES.took(scenario, time.perf_counter() - began)
    FIGURES.response(scenario, response.status_code)
    return response


def _validate(case, response, headers: dict, checks) -> bool:
    """Raise on any failure no known finding explains; return whether a known one was met."""
    try:
        case.validate_response(response, checks=checks, headers=headers)
    except FailureGroup as group:
        if known.unknown(case.operation.label, group.exceptions):
            raise
        return True
    return False


def _fuzz(case, app, headers: dict, scenario: str) -> None:
    response = _call(case, app, headers, scenario)
    _validate(case, response, headers, [*POSITIVE_CHECKS, negative_data_rejection])


@schema.parametrize()
def test_as_admin(case, served, world):
    _fuzz(case, served, world.headers["admin"], "schemathesis as admin")


@schema.parametrize()
def test_as_viewer(case, served, world):
    _fuzz(case, served, world.headers["viewer"], "schemathesis as viewer")


GETS = sorted(path for path, operations in OPENAPI["paths"].items() if "get" in operations)


@pytest.mark.parametrize("path", GETS)
def test_every_read_of_a_real_resource_conforms(path, served, world):
    """Fuzzing mostly meets unknown ids (404): each GET once more on seeded rows, so bodies are checked."""
    case = _real_case(schema[path]["GET"], world)
    response = _call(case, served, world.headers["admin"], "schema conformance on real resources")
    if not _validate(case, response, world.headers["admin"], POSITIVE_CHECKS) and path not in NOTHING_YET:
        assert response.status_code == 200, response.text


# Reads of what the seed data does not hold (no chief or general chief appointed): a documented 404.
NOTHING_YET = {"/api/v1/general-chief", "/api/v1/chains/{chain_id}/chief"}


def _real_case(operation, world):
    """A case naming real rows: every path parameter and every required query parameter."""
    path = [p.name for p in operation.path_parameters]
    query = [p.name for p in operation.query if p.is_required]
    if missing := [n for n in path + query if n not in world.ids]:
        pytest.skip(f"no {', '.join(missing)} in the seeded data")
    return operation.Case(
        path_parameters={n: world.ids[n] for n in path}, query={n: world.ids[n] for n in query}
    )
