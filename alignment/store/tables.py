"""SQLModel tables. (No ``from __future__ import annotations`` here: it breaks SQLModel.)"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine
from sqlmodel import Field, SQLModel

from alignment.core.fields import FieldSpec, FieldType
from alignment.core.model import NODE_FIELDS

# Bump when the tables change; a database written by a newer schema is refused, never touched.
SCHEMA_VERSION = 2  # the steps from each older version are in store/migrations.py


class MetaRow(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class PlanRow(SQLModel, table=True):
    __tablename__ = "plan"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    description: str | None = None
    # Bumped by every change, so a session can tell that another process edited the plan.
    revision: int = 0
    created_at: datetime


def _column_type(spec: FieldSpec) -> TypeEngine[Any]:
    if spec.type.is_number:
        return Float()
    if spec.type is FieldType.DATE:
        return Date()
    return String()


# The node table's field columns come from the field declarations (core/fields.py); a new field
# needs a migration (store/migrations.py) that adds its column to existing databases.
NODE_TABLE = Table(
    "node",
    SQLModel.metadata,
    Column("pk", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
    Column("node_id", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("position", Float, nullable=False),
    Column("title", String, nullable=False),
    *(Column(spec.name, _column_type(spec)) for spec in NODE_FIELDS if spec.column),
    # Optimistic concurrency: an UPDATE names the version it read and fails if it moved on.
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("plan_id", "node_id"),
)


class LinkRow(SQLModel, table=True):
    __tablename__ = "link"
    __table_args__ = (
        UniqueConstraint("child_pk", "parent_pk"),
        Index("ix_link_parent", "parent_pk"),
        Index("ix_link_plan", "plan_id"),
    )
    pk: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE")
    child_pk: int = Field(foreign_key="node.pk", ondelete="CASCADE")
    parent_pk: int = Field(foreign_key="node.pk", ondelete="CASCADE")
    effect: float | None = None
    confidence: float | None = None
    rank: float = 0.0  # order in the child's supports list
    actual: float | None = None  # observed effect of done work (schema 2)


class CheckInRow(SQLModel, table=True):
    __tablename__ = "checkin"
    __table_args__ = (UniqueConstraint("node_pk", "at"),)
    pk: int | None = Field(default=None, primary_key=True)
    node_pk: int = Field(foreign_key="node.pk", ondelete="CASCADE")
    at: date
    value: float


class ChangeRow(SQLModel, table=True):
    """The journal: every change, who made it and when; undo and redo walk it."""

    __tablename__ = "change"
    __table_args__ = (Index("ix_change_plan_state", "plan_id", "state"),)
    pk: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE")
    at: datetime
    author: str
    summary: str
    payload: str  # JSON of the change; empty for entries that cannot be undone (imports)
    state: str = "applied"  # applied | undone | discarded (undone, then superseded by a new edit)
