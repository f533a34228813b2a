"""The one MetaData every finance table is defined on."""

import sqlalchemy as sa

metadata = sa.MetaData()
