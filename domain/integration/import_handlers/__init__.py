"""The ledger use cases (台账导入导出): rows through the domain's own handlers, and workbooks out."""
