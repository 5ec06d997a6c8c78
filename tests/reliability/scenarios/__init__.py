"""The reliability scenarios, each run short by the ring of `make test` and long by `make soak`."""
