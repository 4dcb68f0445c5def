"""Templates and conditions in flow files, evaluated in a sandbox.

Conditions are Jinja expressions (``result.growth_rate < 1e-6``, ``response == 'yes'``,
``results.blocked.reactions | length > 0``). Argument values are templates: a string that is
exactly one ``{{ expression }}`` keeps the expression's type (a number stays a number, a list a
list); any other string with ``{{ }}`` is rendered as text. Nothing here reads a clock, a file
or the network, so a flow's decisions are a function of its inputs and results only.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import ChainableUndefined, TemplateError, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from fluxagent.flows.schema import FlowError


class _Missing(ChainableUndefined):
    """A missing value may be chained and defaulted (``results.x.y | default(0)``), tested
    (``results.x is defined``) but never printed, iterated or compared."""

    __str__ = Undefined._fail_with_undefined_error
    __iter__ = Undefined._fail_with_undefined_error
    __len__ = Undefined._fail_with_undefined_error


_ENV = ImmutableSandboxedEnvironment(undefined=_Missing, autoescape=False)
_ENV.globals.update(len=len, abs=abs, min=min, max=max, round=round, sorted=sorted,
                    sum=sum, list=list, dict=dict)
_WHOLE = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.S)


def _fmt(value: Any, spec: str = ".4g") -> str:
    """``{{ x | fmt }}``: a number with four significant digits (or ``spec``)."""
    try:
        return format(float(value), spec)
    except (TypeError, ValueError):
        return str(value)


def _keys(value: Any) -> list[Any]:
    return list(value.keys()) if isinstance(value, dict) else []


_ENV.filters.update(fmt=_fmt, keys=_keys)


def is_template(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def check_syntax(text: str, *, expression: bool = False) -> str | None:
    """A syntax error message, or None if the template or expression parses."""
    try:
        if expression:
            _ENV.compile_expression(text)
        else:
            m = _WHOLE.match(text)
            if m and "{{" not in m.group(1):
                _ENV.compile_expression(m.group(1))
            else:
                _ENV.from_string(text)
    except TemplateError as exc:
        return str(exc.message or exc)
    return None


def evaluate(expression: str, ns: dict[str, Any]) -> Any:
    try:
        return _ENV.compile_expression(expression, undefined_to_none=False)(**ns)
    except TemplateError as exc:
        raise FlowError(f"cannot evaluate {expression!r}: {exc.message or exc}") from None
    except (TypeError, ValueError, ZeroDivisionError, KeyError, IndexError) as exc:
        raise FlowError(f"cannot evaluate {expression!r}: {exc}") from None


def render(value: Any, ns: dict[str, Any]) -> Any:
    """Render templates inside a value (dicts and lists recursively)."""
    if isinstance(value, dict):
        return {k: render(v, ns) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, ns) for v in value]
    if not is_template(value):
        return value
    m = _WHOLE.match(value)
    if m and "{{" not in m.group(1) and "}}" not in m.group(1):
        out = evaluate(m.group(1), ns)
        if isinstance(out, Undefined):
            raise FlowError(f"cannot render {value!r}: {m.group(1).strip()} is not defined")
        return _plain(out)
    try:
        return _ENV.from_string(value).render(**ns)
    except TemplateError as exc:
        raise FlowError(f"cannot render {value!r}: {exc.message or exc}") from None
    except (TypeError, ValueError, ZeroDivisionError, KeyError, IndexError) as exc:
        raise FlowError(f"cannot render {value!r}: {exc}") from None


def _plain(value: Any) -> Any:
    """Jinja's undefined and tuple results made JSON-friendly."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def holds(condition: str | None, ns: dict[str, Any]) -> bool:
    return True if condition is None else bool(evaluate(condition, ns))
