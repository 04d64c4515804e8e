"""careerlens.analytics."""
