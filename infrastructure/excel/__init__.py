"""Excel ledgers (台账): reading uploads safely, writing workbooks, the import's unit of work."""
