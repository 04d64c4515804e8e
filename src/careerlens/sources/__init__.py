"""careerlens.sources."""
