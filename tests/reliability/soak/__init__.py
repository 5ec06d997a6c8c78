"""The reliability ring's long mode (`make soak`): the scenarios of tests/reliability/scenarios for
SOAK_SECONDS each, and the pytest ring with more examples.

The same scenario functions serve `make test` with short durations (tests/reliability) and `make soak`
with long ones (`python -m tests.reliability.soak`); each returns its figures and the test or the soak
asserts on them.
"""
