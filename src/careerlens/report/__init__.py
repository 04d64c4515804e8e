"""careerlens.report."""
