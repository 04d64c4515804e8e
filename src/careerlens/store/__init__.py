"""The DuckDB warehouse: schema, ingest runs with provenance, quarantine, and the bundled snapshot."""

from careerlens.store.ingest import ingest
from careerlens.store.warehouse import IngestResult, Store, open_snapshot, open_store, open_warehouse

__all__ = ["IngestResult", "Store", "ingest", "open_snapshot", "open_store", "open_warehouse"]
