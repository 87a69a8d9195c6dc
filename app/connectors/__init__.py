"""Connectors in the platform: stored settings with encrypted secrets, deliveries, replay."""
