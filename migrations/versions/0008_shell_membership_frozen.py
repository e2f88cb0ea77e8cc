"""Shells: whether a version holds a shell frozen is recorded on its membership (``version_segments.frozen``),
not in the shell's file, so freezing a shell writes nothing and every version that holds it shares one file.
Memberships recorded before this take the flag their segment's file (and row) recorded.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-08 01:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# Not in batch mode: SQLite adds and drops a column in place (see 0004). The column stays nullable in the
# schema (making it NOT NULL would need a batch); the upgrade fills every row and the code always writes it.
def upgrade() -> None:
    op.add_column('version_segments', sa.Column('frozen', sa.Boolean(), nullable=True))
    op.execute('UPDATE version_segments SET frozen = '
               '(SELECT segments.frozen FROM segments WHERE segments.id = version_segments.segment_id)')


def downgrade() -> None:
    op.drop_column('version_segments', 'frozen')
