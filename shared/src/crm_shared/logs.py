"""JSON logs (structlog) with the trace id of the call or event being handled."""

from __future__ import annotations

import logging
import sys

import structlog

from crm_shared.context import trace_id_var


def _add_trace(_: object, __: str, event_dict: dict) -> dict:
    trace = trace_id_var.get()
    if trace:
        event_dict.setdefault("trace_id", trace)
    return event_dict


def configure_logging(service: str, level: str = "INFO") -> None:
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=level.upper())
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _add_trace,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str = "crm") -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
