"""The platform's own tables (not the tables that published forms create)."""

from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.connectors import Connector, Delivery
from app.models.flows import FlowDefinition, FlowEvent, FlowInstance, FlowTask, FlowVersion
from app.models.forms import App, Attachment, Form, FormVersion, ImportJob
from app.models.identity import ApiToken, Department, Role, Tenant, User, user_roles
from app.models.rules import (
    ActionFiring,
    Alert,
    AlertEvent,
    EmailDelivery,
    Notification,
    Rule,
    RuleVersion,
    Todo,
)
from app.models.system import WorkerHeartbeat, WorkerPing

__all__ = [
    "ActionFiring",
    "Alert",
    "AlertEvent",
    "EmailDelivery",
    "Notification",
    "Rule",
    "RuleVersion",
    "Todo",
    "ApiToken",
    "App",
    "Attachment",
    "Form",
    "FormVersion",
    "ImportJob",
    "AuditEntry",
    "Connector",
    "Delivery",
    "FlowDefinition",
    "FlowEvent",
    "FlowInstance",
    "FlowTask",
    "FlowVersion",
    "Base",
    "Department",
    "Role",
    "Tenant",
    "User",
    "WorkerHeartbeat",
    "WorkerPing",
    "user_roles",
]
