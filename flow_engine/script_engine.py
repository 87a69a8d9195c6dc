"""The only place a flow evaluates anything: gateway conditions, through form_engine.expr.

SpiffWorkflow's stock engine hands expressions to Python's ``eval`` and scripts to ``exec``.
Ours replaces both the engine and its environment (SpiffWorkflow calls the environment
directly in a few places): a condition is the JSON text of the expression language,
interpreted against the bound record's current values; a script is refused. No user text
ever reaches eval, exec or compile.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import (
    BasePythonScriptEngineEnvironment,
)
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine_errors import ValidationError
from flow_engine.timers import parse_duration
from form_engine import expr

# The variable a user task's decision is kept in ("approved" or "rejected"), read by the
# gateway that a user task's reject path compiles to (flow_engine.definitions).
DECISION = "_decision"


class RefusedScript(Exception):
    """A flow asked to run code; flows never run code."""


def parse_condition(text: str | None) -> Any:
    """The expression in a conditionExpression's text, or ValidationError.

    Only the structure is checked here; ``check_condition`` also checks field types.
    """
    if text is None or not text.strip():
        raise ValidationError("A condition is empty.")
    try:
        condition = json.loads(text)
    except ValueError:
        raise ValidationError(
            "A condition must be a JSON expression of the condition language "
            '(e.g. {"==": [{"var": "category"}, "A"]}), not code.'
        ) from None
    if not isinstance(condition, dict | bool):
        raise ValidationError("A condition must be a JSON expression object.")
    expr.fields_used(condition)  # validates the shape
    return condition


def check_condition(text: str | None, fields: Mapping[str, str]) -> Any:
    """Parse a condition and type-check it against the bound form's fields (alert levels
    are refused: the flow sees the record's values, not its alerts)."""
    condition = parse_condition(text)
    result = expr.check(condition, fields, alerts=False)
    if result not in {"boolean", "array", "null"}:
        raise ValidationError(f"A condition must be true or false, not a {result}.")
    return condition


class _RefusingEnvironment(BasePythonScriptEngineEnvironment):
    def evaluate(self, expression, context, external_context=None):
        raise RefusedScript("Flows evaluate only JSON conditions through the script engine.")

    def execute(self, script, context, external_context=None):
        raise RefusedScript("Flows do not run scripts.")

    def call_service(self, context, **kwargs):
        raise RefusedScript("Service tasks run registered actions, not scripts.")


class ExpressionEngine(PythonScriptEngine):
    """Evaluates conditions on one record's values; refuses every script.

    ``record`` holds the bound record's current values, ``fields`` the form's expression
    types (name -> type) and ``today`` the tenant's date.
    """

    def __init__(self, record: Mapping[str, Any], fields: Mapping[str, str], today: date):
        super().__init__(environment=_RefusingEnvironment())
        self.record = record
        self.fields = fields
        self.today = today

    def validate(self, expression: str) -> None:
        parse_condition(expression)

    def evaluate(self, task, expression, external_context=None) -> Any:
        if task is not None and isinstance(
            getattr(task.task_spec, "event_definition", None), TimerEventDefinition
        ):  # a timer's duration is literal ISO 8601 text, checked, never evaluated
            parse_duration(expression)
            return expression.strip()
        fields = {**self.fields, DECISION: "string"}
        record = {**self.record, DECISION: task.data.get(DECISION) if task is not None else None}
        condition = check_condition(expression, fields)
        return expr.is_true(expr.evaluate(condition, record, self.today, fields))

    def compute(self, expression: Any) -> Any:
        """The value of a checked expression on the record (e.g. who approves a step)."""
        return expr.evaluate(expression, self.record, self.today, self.fields)

    def execute(self, task, script, external_context=None):
        raise RefusedScript("Flows do not run scripts.")

    def call_service(self, task, **kwargs):
        raise RefusedScript("Service tasks run registered actions, not scripts.")
