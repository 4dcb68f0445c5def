"""All configuration in one place: every knob is an environment variable ``FLUXAGENT_*``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLUXAGENT_", extra="ignore")

    data_dir: Path = Field(Path(".fluxagent"), description="Where the SQLite store, artifacts "
                           "and model cache live.")
    database_url: str = Field("", description="SQLAlchemy URL; empty means SQLite under "
                              "data_dir. PostgreSQL: postgresql+psycopg://user@host/db")
    llm: str = Field("offline", description="Decider: offline | openai:<model> | "
                     "anthropic:<model> | ollama:<model> | hybrid:<provider>:<model> | "
                     "replay:<cassette path>")
    llm_base_url: str = Field("", description="Base URL of an OpenAI-compatible server "
                              "(Ollama, vLLM, llama.cpp).")
    llm_api_key: str = Field("", description="API key for the configured provider.")
    llm_timeout_s: float = Field(60.0, description="Timeout of one LLM request.")
    llm_max_retries: int = Field(3, description="Retries of an LLM request after a transient "
                                 "error (429, 5xx, timeout), with exponential backoff.")
    llm_record: Path | None = Field(None, description="Record every decider exchange to this "
                                    "cassette file (replay it with FLUXAGENT_LLM=replay:PATH).")
    runner: str = Field("local", description="local | temporal (a Temporal workflow per "
                        "session, run by `fluxagent worker` processes; checked at start)")
    temporal_address: str = Field("localhost:7233", description="host:port of the Temporal "
                                  "frontend (FLUXAGENT_RUNNER=temporal).")
    temporal_namespace: str = Field("default", description="Temporal namespace.")
    temporal_task_queue: str = Field("fluxagent", description="Task queue of the session "
                                     "workflows and their activities; heavy analysis chunks "
                                     "use <queue>-heavy.")
    temporal_fanout: int = Field(2, ge=1, le=64, description="Activities a heavy analysis "
                                 "(FVA, deletion screens) is shared out to, run by any "
                                 "workers of the heavy queue; the result is the same floats.")
    temporal_fanout_min_work: int = Field(300_000, ge=0, description="Smaller heavy jobs "
                                          "(LPs x reactions) run whole on one worker.")
    temporal_heartbeat_s: float = Field(30.0, gt=0, description="A tool activity that sends "
                                        "no heartbeat for this long is retried on another "
                                        "worker.")
    temporal_connect_timeout_s: float = Field(5.0, gt=0, description="How long a start waits "
                                              "for the Temporal server to answer.")
    solver: str = Field("glpk", description="LP/MILP solver: glpk | highs (hybrid)")
    default_model: str = Field("e_coli_core", description="Model used when a question names "
                               "none.")
    max_steps: int = Field(25, description="Decider steps per question before the session "
                           "asks a human.")
    tool_time_limit_s: float = Field(600.0, description="Time limit of one tool run.")
    processes: int = Field(2, description="Processes for FVA, sampling and deletion screens.")
    max_model_bytes: int = Field(100 * 1024 * 1024, description="Largest model file accepted.")
    max_model_reactions: int = Field(100_000, description="Most reactions a model file may "
                                     "have (counted before the model is built).")
    max_model_metabolites: int = Field(100_000, description="Most metabolites a model file "
                                       "may have.")
    workspaces: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="Folders (besides the data dir) whose files tools "
        "may read and write; os.pathsep-separated. Relative paths start at the first one.")
    max_arg_chars: int = Field(100_000, description="Longest string in a tool argument.")
    max_arg_items: int = Field(10_000, description="Most items in a list or mapping of a tool "
                               "argument.")
    max_question_chars: int = Field(20_000, description="Longest question accepted.")
    max_tokens: int = Field(8000, description="Token budget of the decider's context window.")
    approval_policy: Path | None = Field(None, description="YAML file of approval rules.")
    lease_ttl_s: float = Field(30.0, gt=0, description="Execution lease of a session: a runner "
                               "renews it while it drives the session; if the runner dies, "
                               "another may take over this many seconds later.")
    lease_wait_s: float = Field(300.0, ge=0, description="How long a second runner (a "
                                "concurrent question, approval or resume) waits for the lease "
                                "before it is refused with nothing stored.")
    rast_url: str = Field("", description="RAST-compatible annotation service (JSON-RPC "
                          "GenomeAnnotation.run_pipeline) for annotate_genome, e.g. "
                          "https://tutorial.theseed.org/services/genome_annotation; empty: off.")
    server_url: str = Field("", description="A running `fluxagent serve` to use instead of "
                            "running locally (ask, sessions, approvals), e.g. "
                            "http://lab-server:8000")
    api_token: str = Field("", description="The API token sent to FLUXAGENT_SERVER_URL.")
    serve_host: str = Field("127.0.0.1", description="Address `fluxagent serve` binds; another "
                            "than 127.0.0.1 needs an API token to exist.")
    serve_port: int = Field(8000, description="Port of `fluxagent serve`.")
    serve_workers: int = Field(4, description="Background runs the server drives at once "
                               "(one per session at a time).")
    api_max_body_bytes: int = Field(1024 * 1024, description="Largest request body (413).")
    api_rate_per_minute: int = Field(600, description="Default requests per minute of a new "
                                     "token (its own limit is stored with it).")
    api_cors_origins: str = Field("", description="Comma-separated origins allowed by CORS; "
                                  "empty: CORS off.")

    # -- triggers (triggers/: webhooks, Slack, email, schedules) ---------------------------
    webhook_secret: str = Field("", description="HMAC-SHA256 secret of the generic webhook "
                                "(POST /hooks/session); empty: the endpoint is off.")
    slack_signing_secret: str = Field("", description="Slack app signing secret (POST "
                                      "/hooks/slack/...); empty: the endpoints are off.")
    webhook_window_s: float = Field(300.0, description="Signed requests older or newer than "
                                    "this many seconds are refused (replay window).")
    email_senders: str = Field("", description="Comma-separated addresses (or @domains) whose "
                               "mail may continue sessions; empty: email in is off.")
    mcp_token: str = Field("", description="Bearer token of `fluxagent mcp --transport http`; "
                           "required to bind to anything but 127.0.0.1.")
    schedule_tick_s: float = Field(20.0, description="Seconds between two scheduler ticks "
                                   "of a server.")

    def secrets(self) -> tuple[str, ...]:
        """Configured values that must never be shown (masked by core/redact.py)."""
        from urllib.parse import unquote, urlsplit

        found = [self.llm_api_key, self.webhook_secret, self.slack_signing_secret,
                 self.mcp_token]
        for url in (self.database_url, self.llm_base_url, self.rast_url):
            try:
                password = urlsplit(url).password
            except ValueError:
                continue
            if password:
                found += [password, unquote(password)]
        return tuple(v for v in found if v)
    @field_validator("workspaces", mode="before")
    @classmethod
    def _split_paths(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [p for p in v.split(os.pathsep) if p.strip()]
        return v

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'fluxagent.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
