"""A worker process's first request may be a read built without the ORM's query machinery (an entity made
from a row by `detached`): the mapping must be complete before it, not completed by a first ORM query.
`gaoxin serve --workers 2` answered 500 to every GET of one enterprise that reached a worker which had not
yet run an ORM query (`'NoneType' object has no attribute 'supports_population'`)."""

from __future__ import annotations

import subprocess
import sys

FIRST_READ = """
from infrastructure.db.mapping import start_mappers
from infrastructure.repositories.base import detached
from domain.cultivation.enterprises import Enterprise

start_mappers()
enterprise = detached(Enterprise, {"id": "e-1", "name": "鞍山钢铁"})
print(enterprise.name)
"""


def test_an_entity_built_from_a_row_in_a_fresh_process_reads_its_fields():
    done = subprocess.run([sys.executable, "-c", FIRST_READ], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "鞍山钢铁"
