"""Schemas: the scheming dataset schema, the 12 domains, Table Schemas (data, not code)."""
from pathlib import Path

DIRECTORY = Path(__file__).parent
