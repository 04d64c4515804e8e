"""careerlens.kb."""
