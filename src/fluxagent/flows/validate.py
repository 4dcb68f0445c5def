"""Static checks of a flow: everything that would make it fail or hang, found before it runs.

Defect classes: unknown states, unreachable states, dead ends (a state with no way out, or
no default way out), cycles with no exit (states from which no end state can be reached),
unknown tools, arguments that do not match the tool's pydantic model, templates or conditions
that do not parse, and references to inputs or results that do not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from fluxagent.flows.expr import check_syntax, is_template
from fluxagent.flows.schema import Flow, State

_REF = re.compile(r"\b(results|summaries|input)\.([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Problem:
    kind: str
    state: str | None
    message: str

    def __str__(self) -> str:
        where = f"state {self.state}: " if self.state else ""
        return f"[{self.kind}] {where}{self.message}"


def _reachable(flow: Flow, start: str) -> set[str]:
    """States reachable from ``start``; ``limits.on_limit`` counts as reachable too."""
    seen: set[str] = set()
    todo = [start] + ([flow.limits.on_limit] if flow.limits.on_limit else [])
    while todo:
        name = todo.pop()
        if name in seen or name not in flow.states:
            continue
        seen.add(name)
        todo += [e.to for e in flow.states[name].edges()]
    return seen


def _reaches_end(flow: Flow) -> set[str]:
    """States from which some end state can be reached."""
    good = {n for n, s in flow.states.items() if s.kind == "end"}
    changed = True
    while changed:
        changed = False
        for name, st in flow.states.items():
            if name not in good and any(e.to in good for e in st.edges()):
                good.add(name)
                changed = True
    return good


def _cycle_from(flow: Flow, name: str, trapped: set[str]) -> list[str] | None:
    """A cycle through ``name`` inside ``trapped`` (for the message), if there is one."""
    stack: list[tuple[str, list[str]]] = [(name, [name])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for e in flow.states[node].edges():
            if e.to == name:
                return [*path, name]
            if e.to in trapped and e.to not in seen:
                seen.add(e.to)
                stack.append((e.to, [*path, e.to]))
    return None


def _graph(flow: Flow) -> list[Problem]:
    out: list[Problem] = []
    names = set(flow.states)
    if flow.start not in names:
        out.append(Problem("unknown_state", None, f"start state {flow.start!r} does not exist"))
        return out
    if flow.limits.on_limit is not None and flow.limits.on_limit not in names:
        out.append(Problem("unknown_state", None,
                           f"limits.on_limit names unknown state {flow.limits.on_limit!r}"))
    for name, st in flow.states.items():
        for e in st.edges():
            if e.to not in names:
                out.append(Problem("unknown_state", name, f"transition to unknown state "
                                   f"{e.to!r}; states: {', '.join(flow.states)}"))
    reach = _reachable(flow, flow.start)
    for name in flow.states:
        if name not in reach:
            out.append(Problem("unreachable", name, "no transition leads here from the "
                               f"start state {flow.start}"))
    if not any(s.kind == "end" for s in flow.states.values()):
        out.append(Problem("dead_end", None, "the flow has no end state"))
    good = _reaches_end(flow)
    trapped = {n for n in reach if n not in good}
    reported: set[str] = set()
    for name in sorted(trapped, key=list(flow.states).index):
        st = flow.states[name]
        if not st.edges():
            out.append(Problem("dead_end", name, f"{st.kind} state with no transition out"))
            continue
        cycle = None if name in reported else _cycle_from(flow, name, trapped)
        if cycle:
            reported |= set(cycle)
            out.append(Problem("cycle_no_exit", name, f"cycle {' -> '.join(cycle)} never "
                               "reaches an end state"))
        elif name not in reported:
            out.append(Problem("dead_end", name, "no path from here reaches an end state"))
    for name, st in flow.states.items():
        if st.kind != "end" and st.edges() and name in good and st.next is None \
                and all(t.when is not None for t in st.transitions):
            out.append(Problem("dead_end", name, "every transition has a condition; when "
                               "none holds the flow stops (add one without `when`)"))
    return out


def _check_value(flow: Flow, name: str, where: str, value: Any, out: list[Problem]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _check_value(flow, name, f"{where}.{k}", v, out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_value(flow, name, f"{where}[{i}]", v, out)
    elif is_template(value):
        _check_template(flow, name, where, value, out, expression=False)


def _check_template(flow: Flow, name: str, where: str, text: str, out: list[Problem], *,
                    expression: bool) -> None:
    error = check_syntax(text, expression=expression)
    if error:
        out.append(Problem("bad_template", name, f"{where}: {error}"))
        return
    for kind, ref in _REF.findall(text):
        if kind == "input" and ref not in flow.inputs:
            out.append(Problem("bad_reference", name, f"{where}: input {ref!r} is not declared"
                               f" (inputs: {', '.join(flow.inputs) or 'none'})"))
        elif kind in ("results", "summaries") and ref not in flow.states:
            out.append(Problem("bad_reference", name, f"{where}: {kind}.{ref} names no state"))


def _check_args(name: str, st: State, model: type[BaseModel], out: list[Problem]) -> None:
    fields = model.model_fields
    allows_extra = model.model_config.get("extra") == "allow"
    for key, value in st.args.items():
        if key not in fields:
            if not allows_extra:
                out.append(Problem("bad_arguments", name, f"{st.tool} has no argument {key!r}; "
                                   f"it takes: {', '.join(fields) or 'nothing'}"))
            continue
        if is_template(value) or (isinstance(value, dict | list) and "{{" in str(value)):
            continue
        info = fields[key]
        try:
            hint = Annotated[info.annotation, *info.metadata] if info.metadata \
                else info.annotation
            adapter: TypeAdapter[Any] = TypeAdapter(hint)  # type: ignore[arg-type]
            adapter.validate_python(value)
        except ValidationError as exc:
            first = exc.errors()[0]
            out.append(Problem("bad_arguments", name, f"{st.tool}.{key}={value!r}: "
                               f"{first['msg']}"))
        except Exception as exc:  # an annotation pydantic cannot adapt alone; accept it
            del exc
    for key, info in fields.items():
        if info.is_required() and key not in st.args:
            out.append(Problem("bad_arguments", name, f"{st.tool} needs argument {key!r}"))


def validate_flow(flow: Flow, registry: Any = None) -> list[Problem]:
    """All problems of ``flow``; tools are checked against ``registry`` (default: all)."""
    if registry is None:
        from fluxagent.tools import load_all
        registry = load_all()
    out = _graph(flow)
    for name, st in flow.states.items():
        for e in st.transitions:
            if e.when is not None:
                _check_template(flow, name, f"when {e.when!r}", e.when, out, expression=True)
        if st.tool is not None:
            tool = registry.get(st.tool)
            if tool is None:
                out.append(Problem("unknown_tool", name, f"no tool named {st.tool!r}"))
            else:
                _check_args(name, st, tool.args_model, out)
            _check_value(flow, name, "args", st.args, out)
        if st.decider is not None:
            _check_template(flow, name, "instruction", st.decider.instruction, out,
                            expression=False)
            for tool_name in st.decider.tools:
                if registry.get(tool_name) is None:
                    out.append(Problem("unknown_tool", name, f"decider tool {tool_name!r} does "
                                       "not exist"))
            if len(st.decider.tools) > 10:
                out.append(Problem("too_many_tools", name, f"{len(st.decider.tools)} tools; a "
                                   "focused step offers at most 10"))
        if st.human is not None:
            _check_template(flow, name, "question", st.human.question, out, expression=False)
            if st.human.kind == "choice" and len(st.human.options) < 2:
                out.append(Problem("bad_arguments", name, "a choice needs at least 2 options"))
        if st.end is not None:
            _check_template(flow, name, "answer", st.end.answer, out, expression=False)
    return out
