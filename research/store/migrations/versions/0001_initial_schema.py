"""Initial schema: conversations, messages, suggestions, append-only reviews,
users, audit log, double-coding assignments and ingest runs.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 17:33:45.465239
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_action', 'audit_log', ['action', 'at'], unique=False)
    op.create_index('ix_audit_log_at', 'audit_log', ['at'], unique=False)
    op.create_table('ingest_runs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('engine', sa.String(length=32), nullable=False),
    sa.Column('deidentifier', sa.String(length=128), nullable=True),
    sa.Column('model', sa.String(length=200), nullable=True),
    sa.Column('stored', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('invalid', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_runs'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=128), nullable=False),
    sa.Column('role', sa.Enum('counsellor', 'researcher', 'data_scientist', 'admin', name='user_role', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('conversations',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('age_group', sa.String(length=16), nullable=True),
    sa.Column('gender', sa.String(length=16), nullable=False),
    sa.Column('contact_type', sa.String(length=16), nullable=True),
    sa.Column('n_messages', sa.Integer(), nullable=False),
    sa.Column('model_name', sa.String(length=128), nullable=True),
    sa.Column('model_version', sa.String(length=64), nullable=True),
    sa.Column('label_version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.Column('run_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['ingest_runs.id'], name=op.f('fk_conversations_run_id_ingest_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations'))
    )
    op.create_index('ix_conversations_age_group', 'conversations', ['age_group'], unique=False)
    op.create_index('ix_conversations_channel_period', 'conversations', ['channel', 'year', 'month'], unique=False)
    op.create_index('ix_conversations_period', 'conversations', ['year', 'month'], unique=False)
    op.create_index('ix_conversations_queue', 'conversations', ['label_version', 'started_at'], unique=False)
    op.create_table('messages',
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('message_index', sa.Integer(), nullable=False),
    sa.Column('speaker', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_messages_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('conversation_id', 'message_index', name=op.f('pk_messages'))
    )
    op.create_table('review_assignments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('reviewer', sa.String(length=64), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_review_assignments_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['reviewer'], ['users.username'], name=op.f('fk_review_assignments_reviewer_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_assignments')),
    sa.UniqueConstraint('conversation_id', 'reviewer', name=op.f('uq_review_assignments_conversation_id'))
    )
    op.create_index('ix_review_assignments_reviewer', 'review_assignments', ['reviewer'], unique=False)
    op.create_table('suggestions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('model_name', sa.String(length=128), nullable=False),
    sa.Column('model_version', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('category', 'move', 'disclosure', name='suggestion_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('message_index', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('suggested', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_suggestions_conversation_id_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestions'))
    )
    op.create_index('ix_suggestions_code', 'suggestions', ['kind', 'code', 'suggested'], unique=False)
    op.create_index('ix_suggestions_lookup', 'suggestions', ['conversation_id', 'kind', 'code'], unique=False)
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('reviewer', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.Enum('category', 'move', 'disclosure', name='review_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('decision', sa.Enum('accept', 'reject', 'add', 'move_disclosure', 'clear_disclosure', name='review_decision', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('message_index', sa.Integer(), nullable=True),
    sa.Column('suggestion_id', sa.Integer(), nullable=True),
    sa.Column('based_on_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_reviews_conversation_id_conversations')),
    sa.ForeignKeyConstraint(['reviewer'], ['users.username'], name=op.f('fk_reviews_reviewer_users')),
    sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], name=op.f('fk_reviews_suggestion_id_suggestions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    op.create_index('ix_reviews_latest', 'reviews', ['conversation_id', 'kind', 'code', 'message_index', 'id'], unique=False)
    op.create_index('ix_reviews_reviewer', 'reviews', ['reviewer', 'conversation_id'], unique=False)
    op.create_index('ix_reviews_version', 'reviews', ['conversation_id', 'based_on_version'], unique=False)
    for table in APPEND_ONLY:
        _forbid_changes(table)


# Human decisions and the audit trail are append-only, enforced by the database
# itself: an UPDATE or DELETE on them fails whatever client issues it.
APPEND_ONLY = ("reviews", "audit_log")


def _forbid_changes(table: str) -> None:
    if op.get_context().dialect.name == "sqlite":
        for event in ("update", "delete"):
            op.execute(f"CREATE TRIGGER {table}_no_{event} BEFORE {event.upper()} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
        return
    op.execute("CREATE OR REPLACE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS "
               "$$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$")
    op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
               "FOR EACH STATEMENT EXECUTE FUNCTION forbid_change()")


def _allow_changes(table: str) -> None:
    if op.get_context().dialect.name == "sqlite":
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


def downgrade() -> None:
    for table in APPEND_ONLY:
        _allow_changes(table)
    op.drop_index('ix_reviews_version', table_name='reviews')
    op.drop_index('ix_reviews_reviewer', table_name='reviews')
    op.drop_index('ix_reviews_latest', table_name='reviews')
    op.drop_table('reviews')
    op.drop_index('ix_suggestions_lookup', table_name='suggestions')
    op.drop_index('ix_suggestions_code', table_name='suggestions')
    op.drop_table('suggestions')
    op.drop_index('ix_review_assignments_reviewer', table_name='review_assignments')
    op.drop_table('review_assignments')
    op.drop_table('messages')
    op.drop_index('ix_conversations_queue', table_name='conversations')
    op.drop_index('ix_conversations_period', table_name='conversations')
    op.drop_index('ix_conversations_channel_period', table_name='conversations')
    op.drop_index('ix_conversations_age_group', table_name='conversations')
    op.drop_table('conversations')
    op.drop_table('users')
    op.drop_table('ingest_runs')
    op.drop_index('ix_audit_log_at', table_name='audit_log')
    op.drop_index('ix_audit_log_action', table_name='audit_log')
    op.drop_table('audit_log')
    if op.get_context().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS forbid_change()")
