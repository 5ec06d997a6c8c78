"""HTTP routers, one module per context."""
