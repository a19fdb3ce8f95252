"""The seed catalogue."""
