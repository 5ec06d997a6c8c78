"""Pydantic schemas at the edge, one module per context; the domain never imports them."""
