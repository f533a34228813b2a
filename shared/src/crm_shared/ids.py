"""Identifiers: UUIDv7 for every new row and event (time-ordered, index friendly)."""

from uuid6 import uuid7


def new_id() -> str:
    return str(uuid7())
