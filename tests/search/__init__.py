"""Tests of the PostgreSQL search backend."""
