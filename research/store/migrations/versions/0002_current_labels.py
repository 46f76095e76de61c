"""Stored current labels: ``current_categories``, ``current_moves`` and the
conversation's ``disclosure_turn``/``disclosure_source``, kept up to date by
the store on every write (research/store/current.py) so that the explorer
counts over them instead of deriving every label per query.

The upgrade fills them for the conversations already stored, with the rule as
it stood at this revision (the latest human decision on a label wins, else the
current model's suggestion); a test checks the result equals what the store
writes itself.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRESENT = "('accept', 'add')"  # decisions saying a category or move holds
AT_TURN = "('accept', 'move_disclosure')"  # disclosure decisions naming a message
CURRENT_MODEL = ("c.id = s.conversation_id AND c.model_name = s.model_name "
                 "AND c.model_version = s.model_version")


def upgrade() -> None:
    op.add_column('conversations', sa.Column('disclosure_turn', sa.Integer(), nullable=True))
    op.add_column('conversations', sa.Column('disclosure_source', sa.String(length=8), nullable=True))
    op.create_table('current_categories',
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'],
                            name=op.f('fk_current_categories_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('conversation_id', 'code', name=op.f('pk_current_categories')),
    sqlite_with_rowid=False,
    )
    op.create_index('ix_current_categories_code', 'current_categories', ['code', 'conversation_id'], unique=False)
    op.create_table('current_moves',
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('message_index', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'],
                            name=op.f('fk_current_moves_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('conversation_id', 'code', 'message_index', name=op.f('pk_current_moves')),
    sqlite_with_rowid=False,
    )
    _fill_labels('category', 'current_categories', ['code'])
    _fill_labels('move', 'current_moves', ['code', 'message_index'])
    _fill_disclosures()


def _fill_labels(kind: str, table: str, key: list[str]) -> None:
    """Machine labels nobody decided on, then the latest decision per key where it says present."""
    columns = ", ".join(key)
    same_key = " AND ".join(f"r.{k} = s.{k}" for k in ["conversation_id", *key])
    op.execute(f"""
        INSERT INTO {table} (conversation_id, {columns}, source)
        SELECT s.conversation_id, {", ".join(f"s.{k}" for k in key)}, 'machine'
        FROM suggestions s JOIN conversations c ON {CURRENT_MODEL}
        WHERE s.kind = '{kind}' AND s.suggested
          AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.kind = '{kind}' AND {same_key})""")
    op.execute(f"""
        INSERT INTO {table} (conversation_id, {columns}, source)
        SELECT conversation_id, {columns}, 'human' FROM (
            SELECT conversation_id, {columns}, decision,
                   row_number() OVER (PARTITION BY conversation_id, {columns} ORDER BY id DESC) AS rank
            FROM reviews WHERE kind = '{kind}') AS latest
        WHERE rank = 1 AND decision IN {PRESENT}""")


def _fill_disclosures() -> None:
    """The machine's turn where nobody decided, else the latest decision's."""
    op.execute(f"""
        UPDATE conversations SET disclosure_source = 'machine', disclosure_turn = (
            SELECT s.message_index FROM suggestions s JOIN conversations c ON {CURRENT_MODEL}
            WHERE s.kind = 'disclosure' AND c.id = conversations.id)
        WHERE EXISTS (SELECT 1 FROM suggestions s JOIN conversations c ON {CURRENT_MODEL}
                      WHERE s.kind = 'disclosure' AND c.id = conversations.id)""")
    op.execute(f"""
        UPDATE conversations SET disclosure_source = 'human', disclosure_turn = (
            SELECT CASE WHEN r.decision IN {AT_TURN} THEN r.message_index END FROM reviews r
            WHERE r.kind = 'disclosure' AND r.conversation_id = conversations.id ORDER BY r.id DESC LIMIT 1)
        WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.kind = 'disclosure' AND r.conversation_id = conversations.id)""")


def downgrade() -> None:
    op.drop_table('current_moves')
    op.drop_index('ix_current_categories_code', table_name='current_categories')
    op.drop_table('current_categories')
    # plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): a batch copy of the
    # table would trip the foreign keys pointing at it
    op.drop_column('conversations', 'disclosure_source')
    op.drop_column('conversations', 'disclosure_turn')
