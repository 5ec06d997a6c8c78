"""What a row of each ledger writes (台账导入): its record found, then changed through the owning context's
own handlers. The import use case (handlers/imports.py) runs them row by row."""
