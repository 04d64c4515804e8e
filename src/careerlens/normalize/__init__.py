"""careerlens.normalize."""
