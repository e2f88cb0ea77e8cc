"""Students: dense language models distilled from a version (``peer distill``), their files and held-out losses.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# A new table only: no batch mode (on SQLite a batch recreates a table, and recreating one that others
# reference would cascade deletes; see 0004).
def upgrade() -> None:
    op.create_table('students',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('steps', sa.Integer(), nullable=False),
    sa.Column('alpha', sa.Float(), nullable=False),
    sa.Column('init', sa.String(length=16), nullable=False),
    sa.Column('params', sa.BigInteger(), nullable=False),
    sa.Column('file', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.Column('train_loss', sa.Float(), nullable=True),
    sa.Column('wall_seconds', sa.Float(), nullable=False),
    sa.Column('heldout', sa.JSON(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('alpha >= 0 AND alpha <= 1', name=op.f('ck_students_alpha')),
    sa.CheckConstraint('width >= 1 AND steps >= 1', name=op.f('ck_students_sizes')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_students_store_id_stores'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_students_version_id_versions'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_students'))
    )
    op.create_index(op.f('ix_students_store_id'), 'students', ['store_id'], unique=False)
    op.create_index(op.f('ix_students_version_id'), 'students', ['version_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_students_version_id'), table_name='students')
    op.drop_index(op.f('ix_students_store_id'), table_name='students')
    op.drop_table('students')
