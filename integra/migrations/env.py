"""Alembic environment: runs migrations on the engine handed over by `integra.store.migrate`."""

from __future__ import annotations

from alembic import context

from integra.models import Base
from integra.store import make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine()
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite can only ALTER tables by copying them
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
