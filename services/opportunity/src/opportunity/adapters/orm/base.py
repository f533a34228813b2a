"""The one MetaData every opportunity table is defined on."""

import sqlalchemy as sa

metadata = sa.MetaData()
