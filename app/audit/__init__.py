"""Append-only audit log: every change to a tenant's rows, with actor and diff."""
