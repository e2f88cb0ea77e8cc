"""Routes: per version, the corpora it routes tokens to, with their n-gram profiles and low-rank deltas
(artifacts) and the segments each may retrieve from. Versions written before this have no routes and
route as 'grow' (every token sees every segment).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 04:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('artifacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('file', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('profile', 'deltas')", name=op.f('ck_artifacts_kind')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_artifacts_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_artifacts')),
    sa.UniqueConstraint('store_id', 'sha256', name=op.f('uq_artifacts_store_id_sha256'))
    )
    with op.batch_alter_table('artifacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_artifacts_store_id'), ['store_id'], unique=False)

    op.create_table('version_routes',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('corpus', sa.String(length=200), nullable=False),
    sa.Column('learnt_by', sa.Integer(), nullable=True),
    sa.Column('segments', sa.JSON(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('deltas_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deltas_id'], ['artifacts.id'], name=op.f('fk_version_routes_deltas_id_artifacts')),
    sa.ForeignKeyConstraint(['profile_id'], ['artifacts.id'], name=op.f('fk_version_routes_profile_id_artifacts')),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_version_routes_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'position', name=op.f('pk_version_routes'))
    )
    with op.batch_alter_table('version_routes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_routes_deltas_id'), ['deltas_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_version_routes_profile_id'), ['profile_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('version_routes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_routes_profile_id'))
        batch_op.drop_index(batch_op.f('ix_version_routes_deltas_id'))
    op.drop_table('version_routes')
    with op.batch_alter_table('artifacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_artifacts_store_id'))
    op.drop_table('artifacts')
