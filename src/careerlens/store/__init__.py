"""The DuckDB warehouse: schema, ingest runs with provenance, quarantine, and the bundled snapshot."""
