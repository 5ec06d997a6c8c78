"""The slow reliability runs (`make soak`): the scenarios of tests/reliability, for SOAK_SECONDS each.

The same scenario functions serve `make test` with short durations (tests/reliability) and `make soak`
with long ones (`python -m soak`); each returns its figures and the test or the soak asserts on them.
"""
