"""A/B variants of a prompt: deterministic assignment per session, recorded as an event.

``templates/experiments.yaml`` names, per prompt, the variants (each a version) and their
weights. A session's bucket is a hash of its id and the prompt name, so the same session
always gets the same variant, on any machine, without shared state. The first context built for
a session records the assignment as an ``annotation`` event (``kind: prompt_variant``); from
then on the recorded variant wins, even if the experiment file changes, so a replay or a
resumed session keeps the prompt it started with.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from fluxagent.core.events import Event, Thread, new_event
from fluxagent.prompts.manager import PromptError, PromptManager

EXPERIMENTS = "experiments.yaml"


@dataclass(frozen=True)
class Assignment:
    prompt: str
    variant: str
    version: str
    sha256: str

    def event(self) -> Event:
        return new_event("annotation", {"kind": "prompt_variant", "prompt": self.prompt,
                                        "variant": self.variant, "version": self.version,
                                        "sha256": self.sha256})


def load_experiments(root: Path) -> dict[str, dict[str, tuple[str, int]]]:
    """``{prompt: {variant: (version, weight)}}`` from ``experiments.yaml`` (may be absent)."""
    path = root / EXPERIMENTS
    if not path.exists():
        return {}
    return _parse(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _parse(path: Path, mtime_ns: int) -> dict[str, dict[str, tuple[str, int]]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, dict[str, tuple[str, int]]] = {}
    for prompt, spec in doc.items():
        variants = (spec or {}).get("variants", {})
        weights = (spec or {}).get("weights", {})
        if not variants:
            raise PromptError(f"{path}: experiment {prompt!r} has no variants")
        out[str(prompt)] = {str(v): (str(ver), int(weights.get(v, 1)))
                            for v, ver in variants.items()}
    return out


def bucket(session_id: str, prompt: str, total: int) -> int:
    digest = hashlib.sha256(f"{prompt}:{session_id}".encode()).hexdigest()
    return int(digest[:12], 16) % total


def recorded(thread: Thread, prompt: str) -> Assignment | None:
    for ev in thread.of_type("annotation"):
        d = ev.data
        if d.get("kind") == "prompt_variant" and d.get("prompt") == prompt:
            return Assignment(prompt, str(d.get("variant")), str(d.get("version")),
                              str(d.get("sha256", "")))
    return None


def assign(manager: PromptManager, session_id: str, prompt: str) -> Assignment:
    """The variant this session gets (``default`` = latest version when no experiment runs)."""
    experiment = load_experiments(manager.root).get(prompt)
    if not experiment:
        tpl = manager.template(prompt)
        return Assignment(prompt, "default", tpl.version, tpl.sha256)
    total = sum(w for _, w in experiment.values())
    if total <= 0:
        raise PromptError(f"experiment {prompt!r}: weights must add up to more than 0")
    point = bucket(session_id, prompt, total)
    for variant, (version, weight) in sorted(experiment.items()):
        if point < weight:
            tpl = manager.template(prompt, version)
            return Assignment(prompt, variant, version, tpl.sha256)
        point -= weight
    raise AssertionError("unreachable: the bucket is below the total weight")


def for_session(manager: PromptManager, thread: Thread, prompt: str
                ) -> tuple[Assignment, list[Event]]:
    """The session's assignment and the events to append (empty once it is recorded)."""
    known = recorded(thread, prompt)
    if known is not None:
        return known, []
    chosen = assign(manager, thread.session_id, prompt)
    return chosen, [chosen.event()]
