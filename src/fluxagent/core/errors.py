"""Error kinds, retry rules, compact rendering, the streak and recoveries (factor 9).

Every failure a session meets (a tool error, a decider/provider failure, a time-out, a
validation error, a context that does not fit) becomes a ``tool_error`` event with a ``kind``.
This module classifies those events, says whether and how to retry them, renders them in one
line for the decider with the recovery hint, explains a streak to the person an escalation goes
to, and extracts which later call resolved which error (the raw material of error learning in
``store/learning.py``). Everything here is pure: no I/O, no clock.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from fluxagent.core.events import Event, Thread

ErrorKind = Literal[
    "bad_arguments",
    "unknown_id",
    "unknown_tool",
    "infeasible",
    "unbounded",
    "timeout",
    "solver_error",
    "model_not_loaded",
    "rejected",
    "provider_error",
    "context_overflow",
    "internal",
]
ERROR_KINDS: frozenset[str] = frozenset(get_args(ErrorKind))

Category = Literal["validation", "lookup", "model", "solver", "transient", "provider",
                   "human", "context", "bug"]

#: After this many errors in a row the runner asks a human instead of the decider.
ESCALATE_AFTER = 3


@dataclass(frozen=True)
class RetryRule:
    """How a kind of error is handled.

    ``auto_retries``: how many times the runner repeats the very same call by itself (with
    ``backoff_s * 2**attempt`` between tries) before the decider sees the error at all;
    ``advice``: the generic recovery offered when the error carries no specific hint.
    """

    category: Category
    transient: bool
    auto_retries: int
    backoff_s: float
    advice: str


RULES: dict[str, RetryRule] = {
    "bad_arguments": RetryRule("validation", False, 0, 0.0,
                               "fix the arguments named in the message and call again"),
    "unknown_id": RetryRule("lookup", False, 0, 0.0,
                            "use one of the closest valid ids, or search the model"),
    "unknown_tool": RetryRule("validation", False, 0, 0.0, "call one of the listed tools"),
    "infeasible": RetryRule("model", False, 0, 0.0,
                            "relax the medium or bounds (a carbon source, oxygen), or report "
                            "that the organism cannot grow under these conditions"),
    "unbounded": RetryRule("model", False, 0, 0.0,
                           "bound the uptake of the unconstrained exchange"),
    "timeout": RetryRule("transient", True, 1, 1.0,
                         "ask a smaller problem: fewer reactions or genes, fewer samples, "
                         "or a lower fraction of optimum"),
    "solver_error": RetryRule("solver", True, 1, 0.1, "retry once, then try another solver"),
    "model_not_loaded": RetryRule("model", False, 0, 0.0, "load the model first"),
    "rejected": RetryRule("human", False, 0, 0.0,
                          "follow the reviewer's comment or choose another approach"),
    "provider_error": RetryRule("provider", True, 2, 0.5, "the LLM provider failed; retried"),
    "context_overflow": RetryRule("context", False, 0, 0.0,
                                  "raise FLUXAGENT_MAX_TOKENS or shorten the question"),
    "internal": RetryRule("bug", False, 0, 0.0,
                          "try a different tool or arguments; report the bug"),
}

#: Kinds where the same call may succeed if simply tried again.
TRANSIENT: frozenset[str] = frozenset(k for k, r in RULES.items() if r.transient)


def rule(kind: str) -> RetryRule:
    return RULES.get(kind, RULES["internal"])


def is_retryable(kind: str) -> bool:
    return kind in TRANSIENT


def classify(exc: BaseException) -> ErrorKind:
    """The kind of a raw exception (for failures that arrive as exceptions, not ToolErrors)."""
    name = type(exc).__name__.lower()
    text = str(exc).lower()
    if isinstance(exc, TimeoutError) or "timeout" in name or "timed out" in text:
        return "timeout"
    if "validation" in name or (isinstance(exc, TypeError | ValueError) and "argument" in text):
        return "bad_arguments"
    if isinstance(exc, KeyError) or "not found" in text or "unknown" in text:
        return "unknown_id"
    if "infeasible" in text:
        return "infeasible"
    if "unbounded" in text:
        return "unbounded"
    if "solver" in text or "optlang" in name or "glpk" in text:
        return "solver_error"
    if isinstance(exc, ConnectionError | OSError) or "http" in name or "connect" in name:
        return "provider_error"
    return "internal"


# -- compact rendering -------------------------------------------------------------------------

def render_error(data: dict[str, Any], *, learned: str = "", attempt: int = 0) -> str:
    """One line for the decider: what failed, why, and what to do next."""
    kind = str(data.get("kind", "internal"))
    tool = str(data.get("tool", "?"))
    message = str(data.get("message", "")).strip().rstrip(".")
    hint = str(data.get("hint", "")).strip().rstrip(".")
    r = rule(kind)
    parts = [f"ERROR {tool} [{kind}]: {message}."]
    if hint:
        parts.append(f"Hint: {hint}.")
    if learned:
        parts.append(f"Worked before: {learned}.")
    if not hint and not learned:
        parts.append(f"Next: {r.advice}.")
    if r.transient:
        parts.append("Transient" + (f" (attempt {attempt})." if attempt else "."))
    return " ".join(parts)


# -- streaks and escalation --------------------------------------------------------------------

def error_streak(thread: Thread) -> list[Event]:
    """The tool errors since the last success or human response in the current turn."""
    streak: list[Event] = []
    for ev in thread.since_last_question():
        if ev.type == "tool_error":
            streak.append(ev)
        elif ev.type in ("tool_result", "human_response"):
            streak = []
    return streak


def explain_streak(thread: Thread) -> str:
    """What went wrong, for the person an escalation goes to (kinds, tools, the last error)."""
    streak = error_streak(thread)
    if not streak:
        return ""
    last = streak[-1].data
    kinds = ", ".join(sorted({str(e.data.get("kind")) for e in streak}))
    text = (f"{len(streak)} errors in a row ({kinds}); last: {last.get('tool')}: "
            f"{str(last.get('message', '')).rstrip('.')}")
    if last.get("hint"):
        text += f" (hint: {str(last['hint']).rstrip('.')})"
    return text


def _call_of(thread: Thread, call_id: str | None) -> Event | None:
    if call_id is None:
        return None
    for ev in thread:
        if ev.type == "tool_call" and ev.call_id == call_id:
            return ev
    return None


@dataclass(frozen=True)
class RetryPlan:
    """The runner repeats ``name(args)`` by itself after ``delay_s`` (attempt is 1-based)."""

    name: str
    args: dict[str, Any]
    attempt: int
    delay_s: float
    kind: str


def plan_retry(thread: Thread) -> RetryPlan | None:
    """Whether the last event, a transient tool error, is retried automatically, and how."""
    last = thread.last
    if last is None or last.type != "tool_error" or last.call_id is None:
        return None
    r = rule(str(last.data.get("kind")))
    call = _call_of(thread, last.call_id)
    if call is None or r.auto_retries <= 0:
        return None
    attempt = int(call.data.get("attempt", 1))
    if attempt > r.auto_retries:
        return None
    return RetryPlan(name=str(call.data.get("name")), args=dict(call.data.get("args", {})),
                     attempt=attempt + 1, delay_s=r.backoff_s * 2 ** (attempt - 1),
                     kind=str(last.data.get("kind")))


def decider_retry_delay(thread: Thread) -> float:
    """Back-off before asking a decider again after it failed (provider errors)."""
    streak = [e for e in error_streak(thread) if str(e.data.get("tool", "")).startswith(
        "decider:")]
    if not streak or thread.last is not streak[-1]:
        return 0.0
    r = rule(str(streak[-1].data.get("kind")))
    return r.backoff_s * 2 ** (len(streak) - 1) if r.transient else 0.0


# -- patterns and resolutions (the raw material of error learning) -----------------------------

_QUOTED = re.compile(r"""['"`]([^'"`]{1,80})['"`]""")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b", re.IGNORECASE)


def error_pattern(data: dict[str, Any]) -> tuple[str, str]:
    """``(pattern, subject)``: the error with its specifics masked, and the first specific.

    ``run_fba|unknown_id|no reaction <id> in model <id>`` with subject ``PFKK``: the pattern
    groups errors of one shape; the subject tells the one misspelled id from another.
    """
    message = str(data.get("message", ""))
    quoted = _QUOTED.findall(message)
    masked = _NUMBER.sub("<n>", _QUOTED.sub("<id>", message.lower())).strip().rstrip(".")
    return f"{data.get('tool')}|{data.get('kind')}|{masked}", (quoted[0] if quoted else "")


def _flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": [x, y]}}`` → ``{"a.b.0": x, "a.b.1": y}``."""
    pairs = (obj.items() if isinstance(obj, dict) else enumerate(obj)
             if isinstance(obj, list) else None)
    if pairs is None or not obj:
        return {prefix: obj}
    out: dict[str, Any] = {}
    for k, v in pairs:
        out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    return out


def arg_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Flat ``{path: [old, new]}`` of what differs between two argument dicts."""
    a, b = _flatten(before), _flatten(after)
    return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


def _replace(obj: Any, old: Any, new: Any) -> Any:
    if obj == old:
        return new
    if isinstance(obj, dict):
        return {k: _replace(v, old, new) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_replace(v, old, new) for v in obj]
    return obj


@dataclass(frozen=True)
class Resolution:
    """A tool error and the later successful call of the same turn that got past it."""

    error: Event
    failed_tool: str
    failed_args: dict[str, Any]
    fix_tool: str
    fix_args: dict[str, Any]
    steps: int  # decisions from the error to the success
    changes: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def pattern(self) -> tuple[str, str]:
        return error_pattern(self.error.data)


#: Kinds another tool can fix (load the model first); for the rest only the same tool can.
FIXED_BY_ANOTHER_TOOL = frozenset({"model_not_loaded"})


def resolutions(thread: Thread) -> list[Resolution]:
    """Every tool error followed, in the same turn, by a successful call of the same tool
    (or, for ``FIXED_BY_ANOTHER_TOOL`` kinds, of any tool): who fixed what."""
    out: list[Resolution] = []
    calls = {ev.call_id: ev for ev in thread if ev.type == "tool_call"}
    open_errors: list[tuple[Event, int]] = []
    decisions = 0
    for ev in thread:
        if ev.type == "user_message":
            open_errors, decisions = [], 0
        elif ev.type in ("tool_call", "human_request", "final_answer") and \
                ev.data.get("by") != "retry":
            decisions += 1
        elif ev.type == "human_response":
            open_errors = []  # a person stepped in: not a recovery the agent found
        elif ev.type == "tool_error" and ev.call_id in calls and \
                not str(ev.data.get("tool", "")).startswith("decider:"):
            open_errors.append((ev, decisions))
        elif ev.type == "tool_result" and ev.call_id in calls and open_errors:
            fix = calls[ev.call_id]
            still_open = []
            for err, at in open_errors:
                failed = calls[err.call_id]
                same = failed.data.get("name") == fix.data.get("name")
                if not same and err.data.get("kind") not in FIXED_BY_ANOTHER_TOOL:
                    still_open.append((err, at))  # moving on to another tool is no fix
                    continue
                fargs = dict(failed.data.get("args", {}))
                xargs = dict(fix.data.get("args", {}))
                out.append(Resolution(
                    error=err, failed_tool=str(failed.data.get("name")), failed_args=fargs,
                    fix_tool=str(fix.data.get("name")), fix_args=xargs,
                    steps=max(1, decisions - at),
                    changes=arg_changes(fargs, xargs) if same else {}))
            open_errors = still_open
    return out


def apply_recovery(failed_args: dict[str, Any], subject: str, fix_tool: str,
                   fix_args: dict[str, Any], failed_tool: str,
                   changes: dict[str, list[Any]], new_args: dict[str, Any]
                   ) -> tuple[str, dict[str, Any]] | None:
    """Turn a remembered fix into a concrete call for a new failing call ``new_args``.

    A substitution (``PFKK`` → ``PFK``) is replayed where the subject appears; a fix that was a
    different call (load the model first) is offered as that call.
    """
    if fix_tool != failed_tool:
        return fix_tool, fix_args
    subs = [(old, new) for old, new in changes.values()
            if isinstance(old, str) and old == subject and new is not None]
    if subs:
        old, new = subs[0]
        fixed = _replace(new_args, old, new)
        return (failed_tool, fixed) if fixed != new_args else None
    if new_args == failed_args:
        return failed_tool, fix_args
    return None


def describe_fix(tool: str, args: dict[str, Any], changes: dict[str, list[Any]]) -> str:
    """A short text of a fix for the rendered hint."""
    if changes:
        shown = "; ".join(f"{k}: {old!r} → {new!r}" for k, (old, new) in
                          list(changes.items())[:3])
        return f"{tool} with {shown}"
    return f"{tool}({json.dumps(args, separators=(',', ':'), sort_keys=True)})"
