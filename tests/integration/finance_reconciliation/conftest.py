"""Fixtures of finance-reconciliation's integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from crm_shared.db import Database

from tests.support.infra import migrate


@pytest.fixture
async def finance_db(database_url: str) -> AsyncIterator[Database]:
    """finance-reconciliation's database, migrated to head (SQLite, or PostgreSQL by TEST_DATABASE_URL)."""
    await migrate("finance-reconciliation", database_url)
    database = Database(database_url, "finance-reconciliation")
    yield database
    await database.dispose()
