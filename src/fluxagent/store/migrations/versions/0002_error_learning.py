"""Error statistics and learned recoveries (store/learning.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "error_log",
        sa.Column("event_id", sa.String(), primary_key=True),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("tool", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("pattern", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_error_log_tool_kind", "error_log", ["tool", "kind"])
    op.create_table(
        "error_recoveries",
        sa.Column("error_event_id", sa.String(), primary_key=True),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("pattern", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("failed_tool", sa.String(), nullable=False),
        sa.Column("failed_args", sa.JSON(), nullable=False),
        sa.Column("fix_tool", sa.String(), nullable=False),
        sa.Column("fix_args", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("steps", sa.Integer(), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_error_recoveries_pattern", "error_recoveries", ["pattern"])


def downgrade() -> None:
    op.drop_index("ix_error_recoveries_pattern", table_name="error_recoveries")
    op.drop_table("error_recoveries")
    op.drop_index("ix_error_log_tool_kind", table_name="error_log")
    op.drop_table("error_log")
