"""Identity and access: tenants, users, departments, roles, sessions, tokens, scopes."""
