"""The REST face: create_app(), middleware, the error table, schemas, routers."""
