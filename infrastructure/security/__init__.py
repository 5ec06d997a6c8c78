"""Password hashing (Argon2) and token signing (JWT, algorithm pinned)."""
