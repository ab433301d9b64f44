"""The machine's PostgreSQL (127.0.0.1:5432, trust auth) for the tests that use a real one: whether it answers,
and a fresh database dropped afterwards."""

from __future__ import annotations

import contextlib
import secrets
import socket
from collections.abc import Iterator

POSTGRES = ("127.0.0.1", 5432)


def answers(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=2):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """A new database named `<prefix>_<8 hex>` on POSTGRES, dropped (with its connections) afterwards."""
    import psycopg2

    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = psycopg2.connect(host=POSTGRES[0], port=POSTGRES[1], user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


@contextlib.contextmanager
def postgres_lake_catalog() -> Iterator[str]:
    """A fresh PostgreSQL database as a lake's catalog (`postgres:<connection string>`), dropped afterwards; the
    calling test is skipped, saying why, where PostgreSQL does not answer."""
    import pytest

    if not answers(POSTGRES):
        pytest.skip(f"the PostgreSQL catalog needs PostgreSQL on {POSTGRES[0]}:{POSTGRES[1]}, which did not answer")
    with fresh_database("newsdesk_lake") as name:
        yield f"postgres:dbname={name} host={POSTGRES[0]} port={POSTGRES[1]} user=postgres"
