"""BPMN flows and approvals on SpiffWorkflow.

A pure library: it may use ``form_engine`` but must never import Flask or ``app``.
"""
