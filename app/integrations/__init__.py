"""Integrations: other systems writing into GreenShelf (inbound hooks, ERP pulls) and the
life of the connectors, hooks and syncs themselves (delete, restore).

They sit above records, flows and rules, which they write and check, and above the
delivery log in ``app.connectors``, which they use.
"""
