"""careerlens.web."""
