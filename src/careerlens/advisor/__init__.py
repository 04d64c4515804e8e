"""careerlens.advisor."""
