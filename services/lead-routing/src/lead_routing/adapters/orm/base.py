"""The one MetaData every lead-routing table is defined on."""

import sqlalchemy as sa

metadata = sa.MetaData()
