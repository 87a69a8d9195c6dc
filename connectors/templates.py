"""Templates users write for URLs, headers and bodies, rendered in Jinja2's sandbox.

Variables are plain JSON data (the record, the flow, the event); templates can read them
and call the safe methods of strings, lists and dicts, and nothing else: attributes
starting with an underscore, Python internals and mutation are refused by the sandbox,
and big repetitions (``'a' * 10**9``) are refused here. A template that breaks these
rules, or reads a variable that does not exist, fails with a ``ValidationError`` that
names the template; it is never retried.

``render_value`` renders a JSON structure: a string that is one ``{{ expression }}``
keeps the expression's type (a number stays a number), other strings are rendered as
text, objects and arrays are rendered member by member.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from engine_errors import ValidationError

MAX_OUTPUT = 256 * 1024
MAX_REPEAT = 100_000
_ONE_EXPRESSION = re.compile(r"^\{\{(?P<expr>(?:(?!\}\}|\{\{).)+)\}\}$", re.S)


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("Exponents above 64 are not allowed in templates.")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    if len(seq) * times > MAX_REPEAT:
                        raise SecurityError("The repeated text would be too long.")
        return super().call_binop(context, operator, left, right)


def _environment() -> _Sandbox:
    env = _Sandbox(
        undefined=StrictUndefined,
        autoescape=False,
        finalize=lambda value: "" if value is None else value,
    )
    env.globals = {"range": env.globals["range"]}
    return env


ENV = _environment()


@lru_cache(maxsize=512)
def _template(text: str):
    return ENV.from_string(text)


@lru_cache(maxsize=512)
def _expression(text: str):
    return ENV.compile_expression(text, undefined_to_none=False)


def _refuse(where: str, exc: Exception) -> ValidationError:
    kind = "is not allowed" if isinstance(exc, SecurityError) else "cannot be rendered"
    return ValidationError(f"The template at '{where}' {kind}: {exc}", {where: [str(exc)]})


def check(template: Any, where: str) -> None:
    """Raise unless every string in ``template`` is a syntactically valid template."""
    if isinstance(template, str):
        try:
            match = _ONE_EXPRESSION.match(template.strip())
            _expression(match["expr"]) if match else _template(template)
        except TemplateError as exc:
            raise _refuse(where, exc) from None
    elif isinstance(template, dict):
        for key, value in template.items():
            check(value, f"{where}.{key}")
    elif isinstance(template, list):
        for index, value in enumerate(template):
            check(value, f"{where}.{index}")


def render_text(template: str, variables: dict, where: str = "template") -> str:
    parts, size = [], 0
    try:
        for part in _template(template).generate(variables):
            size += len(part)
            if size > MAX_OUTPUT:  # stop early: a loop must not fill the memory first
                raise ValidationError(
                    f"The template at '{where}' renders more than {MAX_OUTPUT} characters.",
                    {where: ["Too long."]},
                )
            parts.append(part)
    except (TemplateError, ArithmeticError, TypeError, ValueError) as exc:
        raise _refuse(where, exc) from None
    return "".join(parts)


def _plain(value: Any, where: str) -> Any:
    """Only JSON data may come out of an expression, never a Python object."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()  # raises why: unsafe attribute or missing name
    if isinstance(value, str):
        return str(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v, where) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, where) for k, v in value.items()}
    raise ValidationError(
        f"The template at '{where}' gives a {type(value).__name__}, not JSON data.",
        {where: ["Not JSON data."]},
    )


def render_value(template: Any, variables: dict, where: str = "template") -> Any:
    if isinstance(template, str):
        match = _ONE_EXPRESSION.match(template.strip())
        if not match:
            return render_text(template, variables, where)
        try:
            return _plain(_expression(match["expr"])(**variables), where)
        except (TemplateError, ArithmeticError, TypeError, ValueError) as exc:
            raise _refuse(where, exc) from None
    if isinstance(template, dict):
        return {k: render_value(v, variables, f"{where}.{k}") for k, v in template.items()}
    if isinstance(template, list):
        return [render_value(v, variables, f"{where}.{i}") for i, v in enumerate(template)]
    return template
