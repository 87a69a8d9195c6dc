"""The platform's own tables (not the tables that published forms create)."""

from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.connector_sync import ConnectorSync, InboundHook, InboundReceipt, SyncRun
from app.models.connectors import Connector, Delivery
from app.models.dashboards import Chart, Dashboard, DataGeneration
from app.models.flow_approvals import FlowDelegation, FlowTaskOrigin
from app.models.flow_services import FlowActionRun, FlowIncident, FlowTimer, FlowTrigger
from app.models.flow_state import FlowPassedStep
from app.models.flows import FlowDefinition, FlowEvent, FlowInstance, FlowTask, FlowVersion
from app.models.forms import App, Attachment, Form, FormVersion, ImportJob
from app.models.identity import ApiToken, Department, Role, Tenant, User, user_roles
from app.models.outbound import OutboundAllowEntry
from app.models.packages import TemplateInstall
from app.models.rules import (
    Alert,
    AlertEvent,
    Notification,
    Rule,
    RuleVersion,
    Todo,
)
from app.models.system import WorkerHeartbeat, WorkerPing

__all__ = [
    "Alert",
    "AlertEvent",
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
    "Chart",
    "Dashboard",
    "DataGeneration",
    "Connector",
    "OutboundAllowEntry",
    "ConnectorSync",
    "InboundHook",
    "InboundReceipt",
    "SyncRun",
    "Delivery",
    "FlowDefinition",
    "FlowDelegation",
    "FlowEvent",
    "FlowInstance",
    "FlowActionRun",
    "FlowIncident",
    "FlowPassedStep",
    "FlowTimer",
    "FlowTrigger",
    "FlowTask",
    "FlowTaskOrigin",
    "FlowVersion",
    "Base",
    "Department",
    "Role",
    "TemplateInstall",
    "Tenant",
    "User",
    "WorkerHeartbeat",
    "WorkerPing",
    "user_roles",
]
