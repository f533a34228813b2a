"""The tenant's tagging settings row (keyword groups, dictionary, required tags)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.tagging import tagging_settings
from opportunity.adapters.settings_rows import SettingsRows


class TaggingSettingsRepository(SettingsRows):
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session, tagging_settings, "tagging")
