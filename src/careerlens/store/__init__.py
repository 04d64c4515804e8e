"""The DuckDB warehouse: schema, ingest runs with provenance, quarantine, and the bundled snapshot."""

from careerlens.store.ingest import IngestResult, ingest
from careerlens.store.warehouse import Store, open_snapshot, open_store, open_warehouse

__all__ = ["IngestResult", "Store", "ingest", "open_snapshot", "open_store", "open_warehouse"]
