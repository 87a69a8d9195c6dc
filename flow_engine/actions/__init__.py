"""Service actions a flow's service tasks call: a registry of names with typed inputs.

Each action (``catalogue.ACTIONS``) declares its inputs; ``check_inputs`` validates a
service task's inputs at deploy time against the flow's bound form and the tenant's
forms, connectors and flows (``Catalogue``). The app performs the actions; this package
only says which exist and what they take (stock is taken by ``form_engine.stock``).
"""

from flow_engine.actions.catalogue import ACTIONS, action_names, check_inputs, deferred_nodes
from flow_engine.actions.inputs import ActionContext, substitute

__all__ = [
    "ACTIONS",
    "ActionContext",
    "action_names",
    "check_inputs",
    "deferred_nodes",
    "substitute",
]
