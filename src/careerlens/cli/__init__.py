"""careerlens.cli."""
