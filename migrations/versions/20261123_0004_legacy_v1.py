"""legacy_v1: legacy integer ids, legacy passwords and extracted texts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY_ID_TABLES = ("users", "resumes", "jobs", "analyses")


def upgrade() -> None:
    for table in LEGACY_ID_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("legacy_id", sa.Integer(), nullable=True))
            batch.create_unique_constraint(op.f(f"uq_{table}_legacy_id"), ["legacy_id"])
    op.create_table(
        "legacy_passwords",
        sa.Column("legacy_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_legacy_passwords_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("legacy_id", name=op.f("pk_legacy_passwords")),
        sa.UniqueConstraint("user_id", name=op.f("uq_legacy_passwords_user_id")),
    )
    op.create_table(
        "legacy_resume_texts",
        sa.Column("legacy_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("extracted_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resume_id"],
            ["resumes.id"],
            name=op.f("fk_legacy_resume_texts_resume_id_resumes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("legacy_id", name=op.f("pk_legacy_resume_texts")),
        sa.UniqueConstraint("resume_id", name=op.f("uq_legacy_resume_texts_resume_id")),
    )


def downgrade() -> None:
    op.drop_table("legacy_resume_texts")
    op.drop_table("legacy_passwords")
    for table in reversed(LEGACY_ID_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"uq_{table}_legacy_id"), type_="unique")
            batch.drop_column("legacy_id")
