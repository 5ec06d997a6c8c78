"""Imperative mappings, one module per context (ARCHITECTURE.md, habit 3)."""
