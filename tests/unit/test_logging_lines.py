"""A JSON log line is one object a line, with the request id, the `extra=` fields and Chinese as it is; what
the fast encoder cannot write is still written."""

from __future__ import annotations

import io
import json
import logging

import pytest

from services.logging_setup import JsonFormatter, configure_logging, request_id_var


@pytest.fixture
def lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("gaoxin.test-lines")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def test_a_line_carries_the_request_id_and_the_extra_fields_unescaped(lines):
    logger, stream = lines
    token = request_id_var.set("r-1")
    try:
        logger.info("%s %s", "GET", "/api/v1/企业", extra={"status": 200, "ms": 1.25, "route": "/x"})
    finally:
        request_id_var.reset(token)
    text = stream.getvalue()
    assert text.count("\n") == 1 and "企业" in text  # not \u-escaped
    entry = json.loads(text)
    assert entry["message"] == "GET /api/v1/企业" and entry["request_id"] == "r-1"
    assert (entry["status"], entry["ms"], entry["route"], entry["level"]) == (200, 1.25, "/x", "INFO")


def test_what_the_fast_encoder_cannot_write_is_written_all_the_same(lines):
    logger, stream = lines
    logger.info("big", extra={"count": 2**70, "when": object.__new__(type("Opaque", (), {}))})
    entry = json.loads(stream.getvalue())
    assert entry["count"] == 2**70 and entry["when"].startswith("<")


def test_an_exception_is_written_with_its_traceback(lines):
    logger, stream = lines
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    entry = json.loads(stream.getvalue())
    assert "ValueError: boom" in entry["exception"]


def test_configured_logging_gathers_no_caller_thread_or_process():
    root = logging.getLogger()
    kept = (
        root.handlers[:],
        root.level,
        logging.logThreads,
        logging.logProcesses,
        logging.logMultiprocessing,
        logging._srcfile,
    )
    try:
        configure_logging("INFO", "json")
        record = logging.getLogger("gaoxin.test-lines").makeRecord("n", logging.INFO, "f", 1, "m", (), None)
        assert record.thread is None and record.process is None and logging._srcfile is None
    finally:
        (
            root.handlers[:],
            level,
            logging.logThreads,
            logging.logProcesses,
            logging.logMultiprocessing,
            logging._srcfile,
        ) = kept
        root.setLevel(level)
