"""Users, roles, password hashing and the scope rules every query goes through."""
