"""Persistence: engine, metadata, tables and the imperative mappings."""
