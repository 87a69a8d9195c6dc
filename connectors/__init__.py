"""Outbound and inbound integrations (DingTalk, WeCom, email, SMS, REST, webhooks, ERPs).

A pure library: it must never import Flask or the ``app`` package.
"""
