"""The throw-away servers of ``stack test`` and ``stack bench``: no durability they do
not need; a durable server (``make run``, the benchmarks) gets its buffer cache."""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk
import psycopg2
import pytest

from ckanext.shanghai.stack import services
from ckanext.shanghai.stack.services import DATABASE_URL_ENV, WITHOUT_DURABILITY


@pytest.mark.skipif(bool(os.environ.get(DATABASE_URL_ENV)),
                    reason="an external server keeps its own settings")
def test_the_throwaway_server_of_the_tests_does_not_wait_for_the_disk():
    conn = psycopg2.connect(tk.config["sqlalchemy.url"])
    try:
        with conn.cursor() as cur:
            shown = {}
            for name in WITHOUT_DURABILITY:
                cur.execute(f"SHOW {name}")
                shown[name] = cur.fetchone()[0]
    finally:
        conn.close()
    assert shown == WITHOUT_DURABILITY


@pytest.mark.skipif(bool(os.environ.get(DATABASE_URL_ENV)),
                    reason="an external server keeps its own settings")
def test_a_durable_server_starts_with_its_buffer_cache(tmp_path):
    wanted = services.shared_buffers_mb()
    assert 128 <= wanted <= 1024
    started = services.start(tmp_path, database="buffers", throwaway=True, durable=True)
    try:
        conn = psycopg2.connect(started.database_url)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_size_bytes(current_setting('shared_buffers')), "
                            "current_setting('fsync')")
                size, fsync = cur.fetchone()
        finally:
            conn.close()
    finally:
        started.stop()
    assert (size, fsync) == (wanted * 2**20, "on")
