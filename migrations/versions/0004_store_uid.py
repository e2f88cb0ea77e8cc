"""Store identity: a random uid per registry store, also written into the store folder's manifest, so a folder
opened against a registry whose store of that name is another store is refused. Stores made before this
have none (NULL) and are not checked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# Not in batch mode: on SQLite a batch recreates the table, and dropping `stores` would cascade to every
# row that references it. SQLite (3.35 and later) adds and drops a column in place.
def upgrade() -> None:
    op.add_column('stores', sa.Column('uid', sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column('stores', 'uid')
