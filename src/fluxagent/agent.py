"""``from fluxagent import Agent``: the Python entry point, wired from settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from fluxagent.agents.router import Router
from fluxagent.config import Settings, get_settings
from fluxagent.context.manager import ContextManager
from fluxagent.core.context import Context
from fluxagent.core.errors import ESCALATE_AFTER
from fluxagent.core.events import Thread
from fluxagent.core.state import SessionState, fold
from fluxagent.core.steps import Step
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.human.channels import channels_from_config, notifier
from fluxagent.llm.base import Decider
from fluxagent.paths import PathPolicy
from fluxagent.prompts import PromptManager, variants
from fluxagent.runtime import sessions
from fluxagent.runtime.local import Listener, LocalRunner
from fluxagent.runtime.runners import build_runner
from fluxagent.store.base import EventStore
from fluxagent.tools.registry import Progress, Registry, ToolContext

#: The decider's system prompt: a template in prompts/templates/system/ (A/B variants).
SYSTEM_PROMPT = "system"


def default_registry() -> Registry:
    from fluxagent.tools import load_all
    return load_all()


def default_store(settings: Settings) -> EventStore:
    from fluxagent.store.sql import SqlStore
    return SqlStore.from_settings(settings)


class _LazyDecider:
    """Builds the configured decider on first use, so commands that never decide (sessions
    list, export, approve of a tool call) work without a configured LLM."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._inner: Decider | None = None

    def _get(self) -> Decider:
        if self._inner is None:
            from fluxagent.llm.factory import make_decider
            self._inner = make_decider(self._settings)
        return self._inner

    @property
    def name(self) -> str:
        return self._get().name

    @property
    def sends_schemas(self) -> bool:
        return bool(getattr(self._get(), "sends_schemas", False))

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        return self._get().next_step(context, tools)


class Agent:
    """A configured agent: ``Agent().ask("How fast does e_coli_core grow without oxygen?")``."""

    def __init__(self, *, settings: Settings | None = None, store: EventStore | None = None,
                 decider: Decider | None = None, registry: Registry | None = None,
                 policy: ApprovalPolicy | None = None,
                 listeners: list[Listener] | None = None,
                 progress: Progress | None = None) -> None:
        self.progress = progress
        self.settings = settings or get_settings()
        self.listeners = list(listeners or [])
        self.remote: Any = None
        if self.settings.server_url and store is None and decider is None:
            # a lab's server does the work (FLUXAGENT_SERVER_URL); this side only shows it
            from fluxagent.client import Client, RemoteStore
            self.remote = Client.from_settings(self.settings)
            self.store: EventStore = RemoteStore(self.remote)
            return
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = store or default_store(self.settings)
        self.registry = registry or default_registry()
        writing = frozenset(t.name for t in self.registry if t.writes)
        data_dir = self.settings.data_dir
        paths = PathPolicy.from_settings(self.settings)
        self.policy = policy or (ApprovalPolicy.from_file(self.settings.approval_policy, writing,
                                                          data_dir, paths)
                                 if self.settings.approval_policy
                                 else ApprovalPolicy(writing_tools=writing, data_dir=data_dir,
                                                     paths=paths))
        self.contexts = ContextManager(max_tokens=self.settings.max_tokens)
        self.prompts = PromptManager()
        from fluxagent.store.learning import ErrorMemory
        self.errors = ErrorMemory.for_store(self.store)
        self._models: Any = None
        self._artifacts: Any = None
        self.runner: LocalRunner = build_runner(
            self.settings, store=self.store,
            decider=decider or Router(_LazyDecider(self.settings), prompts=self.prompts),
            registry=self.registry, context=self._context, tool_context=self._tool_context,
            policy=self.policy, max_steps=self.settings.max_steps,
            lease_ttl_s=self.settings.lease_ttl_s, lease_wait_s=self.settings.lease_wait_s,
            secrets=self.settings.secrets(),
            listeners=list(listeners or []), observers=[self.errors.observe, notifier(
                channels_from_config(self.policy.channels, data_dir, self.policy.contacts))])

    # -- wiring -------------------------------------------------------------------------
    def _context(self, thread: Thread, state: SessionState) -> Context:
        """The decider's view: the session's prompt variant, learned fixes, the thread."""
        chosen, events = variants.for_session(self.prompts, thread, SYSTEM_PROMPT)
        system = self.prompts.get_prompt(SYSTEM_PROMPT, chosen.version,
                                         default_model=self.settings.default_model,
                                         escalate_after=ESCALATE_AFTER)
        learned = self.errors.for_thread(thread)
        meta: dict[str, Any] = {"events": events, "prompt": {
            "name": chosen.prompt, "version": chosen.version, "variant": chosen.variant,
            "sha256": chosen.sha256[:12]}}
        if learned:
            meta["recovery"] = learned[-1].as_meta()
        fixes = {fix.error_event_id: fix.text for fix in learned}

        def rebuild(reserve: int) -> Context:
            """The same view with ``reserve`` tokens kept free (agent prompt, tool schemas)."""
            return self.contexts.build(thread, state, system, meta=meta, learned=fixes,
                                       reserve=reserve)

        ctx = self.contexts.build(thread, state, system, meta=meta, learned=fixes)
        ctx.meta["rebuild"] = rebuild
        return ctx

    def _tool_context(self, thread: Thread, state: SessionState) -> ToolContext:
        if self._models is None:
            from fluxagent.store.artifacts import ArtifactStore
            from fluxagent.tools.models import ModelStore
            self._models = ModelStore(self.settings)
            self._artifacts = ArtifactStore(self.settings.data_dir / "artifacts")
        ctx = ToolContext(session_id=thread.session_id, state=state, models=self._models,
                          artifacts=self._artifacts, settings=self.settings)
        if self.progress is not None:
            ctx.progress = self.progress
        return ctx

    def __getattr__(self, name: str) -> Any:
        # only reached for what a remote agent does not have (runner, registry, policy...)
        if name != "remote" and self.__dict__.get("remote") is not None:
            from fluxagent.store.base import StoreError
            raise StoreError(f"this command runs locally only; FLUXAGENT_SERVER_URL is set "
                             f"({self.settings.server_url}): unset it, or use the server's "
                             "API")
        raise AttributeError(name)

    def _show(self, event: Any) -> None:
        for listen in self.listeners:
            listen(event)

    # -- the API ------------------------------------------------------------------------
    def ask(self, question: str, *, model: str | None = None,
            session_id: str | None = None) -> SessionState:
        if self.remote is not None:
            return fold(self.remote.ask(question, model=model, session_id=session_id,
                                        on_event=self._show, on_progress=self.progress))
        return sessions.launch(self.runner, question, model=model, session_id=session_id,
                               max_chars=self.settings.max_question_chars)

    launch = ask

    def resume(self, session_id: str) -> SessionState:
        if self.remote is not None:
            return fold(self.remote.resume(session_id, on_event=self._show))
        return sessions.resume(self.runner, session_id)

    def pause(self, session_id: str, reason: str = "") -> SessionState:
        if self.remote is not None:
            self.remote.pause(session_id, reason)
            return self.state(session_id)
        return sessions.pause(self.runner, session_id, reason)

    def respond(self, session_id: str, text: str) -> SessionState:
        if self.remote is not None:
            return fold(self.remote.respond(session_id, text, on_event=self._show))
        return sessions.respond(self.runner, session_id, text)

    def approve(self, session_id: str, *, call_id: str | None = None, comment: str = "",
                args: dict[str, Any] | None = None) -> SessionState:
        if self.remote is not None:
            return fold(self.remote.approve(session_id, call_id=call_id, comment=comment,
                                            args=args, on_event=self._show))
        return sessions.decide(self.runner, session_id, "approve", call_id=call_id,
                               comment=comment, args=args)

    def reject(self, session_id: str, comment: str, *, call_id: str | None = None
               ) -> SessionState:
        if self.remote is not None:
            return fold(self.remote.reject(session_id, comment, call_id=call_id,
                                           on_event=self._show))
        return sessions.decide(self.runner, session_id, "reject", call_id=call_id,
                               comment=comment)

    def decide(self, session_id: str, decision: Literal["approve", "reject"],
               **kw: Any) -> SessionState:
        if self.remote is not None:
            return (self.approve(session_id, **kw) if decision == "approve" else
                    self.reject(session_id, kw.pop("comment", ""), **kw))
        return sessions.decide(self.runner, session_id, decision, **kw)

    def fork(self, session_id: str, at_seq: int | None = None) -> str:
        if self.remote is not None:
            return str(self.remote.fork(session_id, at_seq))
        return sessions.fork(self.runner, session_id, at_seq)

    def run_flow(self, flow: str, *, session_id: str | None = None, model: str | None = None,
                 **inputs: Any) -> SessionState:
        """Run a declarative flow (a name, or a YAML file): ``run_flow("knockout_study",
        genes=["pgi"])``."""
        if self.remote is not None:
            after = -1 if session_id is None else self.remote.state(session_id).last_seq
            made = self.remote.run_flow(flow, inputs, model=model, session_id=session_id)
            return fold(self.remote.wait(made["session_id"], after=after,
                                         on_event=self._show))
        from fluxagent.flows.library import load_flow
        from fluxagent.flows.run import run_flow
        return run_flow(self.runner, load_flow(flow, self.settings.data_dir / "flows"), inputs,
                        model=model, session_id=session_id)

    def check_timeouts(self) -> list[dict[str, Any]]:
        """Escalate every request waiting past its deadline (reads the clock here, once)."""
        from datetime import UTC, datetime
        return sessions.check_timeouts(self.runner, datetime.now(UTC))

    def export(self, session_id: str, path: Path) -> Path:
        if self.remote is not None:
            import json
            path.write_text(json.dumps(self.remote.export(session_id), indent=1))
            return path
        from fluxagent.store.keys import installation_key
        return sessions.export(self.runner, session_id, path,
                               key=installation_key(self.settings))

    def import_(self, path: Path) -> str:
        if self.remote is not None:
            import json
            return str(self.remote.import_(json.loads(path.read_text())))
        from fluxagent.store.keys import installation_key
        return sessions.import_(self.runner, path, key=installation_key(self.settings))

    def thread(self, session_id: str) -> Thread:
        return self.store.load(session_id)

    def state(self, session_id: str) -> SessionState:
        return fold(self.store.load(session_id))
