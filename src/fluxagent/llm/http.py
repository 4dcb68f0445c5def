"""The HTTP transport every remote decider shares: timeouts, retries, errors, token usage.

A provider call either returns a parsed JSON body or raises ``DeciderError`` with a one-line
message. Transient failures (429, 500/502/503/504/529, timeouts, dropped connections) are
retried with exponential backoff and jitter; a ``Retry-After`` (or ``retry-after-ms``) header
from the server wins over the computed delay. Other 4xx answers are not retried: the server's
own message is passed on, since it usually says exactly what is wrong (bad key, bad model).
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from fluxagent.core.redact import redact
from fluxagent.core.steps import Usage
from fluxagent.llm.base import DeciderError

log = logging.getLogger(__name__)

#: Status codes worth another try (529 is Anthropic's "overloaded").
TRANSIENT_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})


def _retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after-ms`` or ``Retry-After``."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:  # an HTTP date
        when = email.utils.parsedate_to_datetime(raw).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def server_message(response: httpx.Response) -> str:
    """The error text a provider put in its body (OpenAI and Anthropic shapes), else the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason_phrase
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            kind = err.get("type") or err.get("code")
            return f"{err['message']}" + (f" ({kind})" if kind else "")
        if isinstance(err, str):
            return err
        if body.get("message"):
            return str(body["message"])
    return str(body)[:300]


def extract_usage(body: dict[str, Any]) -> Usage:
    """Token usage from an OpenAI (prompt/completion) or Anthropic (input/output) reply."""
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return Usage()

    def num(*keys: str) -> int:
        total = 0
        for k in keys:
            v = usage.get(k)
            if isinstance(v, int | float):
                total += int(v)
        return total

    if "input_tokens" in usage or "output_tokens" in usage:
        return Usage(prompt_tokens=num("input_tokens", "cache_creation_input_tokens",
                                       "cache_read_input_tokens"),
                     completion_tokens=num("output_tokens"))
    return Usage(prompt_tokens=num("prompt_tokens"), completion_tokens=num("completion_tokens"))


@dataclass
class Transport:
    """POST JSON to one provider with retries; ``sleep`` is injectable so tests can watch it."""

    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 20.0
    max_retry_after: float = 120.0
    provider: str = "llm"
    sleep: Callable[[float], None] = time.sleep
    client: httpx.Client | None = None

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        if self.client is None:
            self.client = httpx.Client(timeout=httpx.Timeout(self.timeout),
                                       headers=self.headers)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with equal jitter: half fixed, half random."""
        cap = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        return cap / 2 + random.uniform(0, cap / 2)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST ``body`` to ``base_url + path``; the parsed reply or a ``DeciderError`` whose
        message has every secret masked (a 401 body may echo the key back)."""
        try:
            return self._post(path, body)
        except DeciderError as exc:
            raise DeciderError(redact(str(exc), self._secrets()), kind=exc.kind,
                               retryable=exc.retryable, usage=exc.usage) from None

    def _secrets(self) -> list[str]:
        """The credentials this transport sends (Authorization, x-api-key, ...)."""
        return [v.split(" ", 1)[-1] for k, v in self.headers.items()
                if "auth" in k.lower() or "key" in k.lower()]

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        assert self.client is not None
        url = f"{self.base_url}/{path.lstrip('/')}"
        last: DeciderError | None = None
        for attempt in range(self.max_retries + 1):
            wait: float | None = None
            try:
                response = self.client.post(url, json=body)
            except httpx.TimeoutException as exc:
                last = DeciderError(f"{self.provider}: no reply from {url} within "
                                    f"{self.timeout:g} s ({type(exc).__name__})",
                                    kind="timeout", retryable=True)
            except httpx.TransportError as exc:
                last = DeciderError(f"{self.provider}: cannot reach {url}: "
                                    f"{type(exc).__name__}: {exc}",
                                    kind="provider_error", retryable=True)
            else:
                if response.status_code < 400:
                    try:
                        parsed = response.json()
                    except ValueError:
                        raise DeciderError(
                            f"{self.provider}: the reply from {url} is not JSON: "
                            f"{response.text[:200]!r}", retryable=False) from None
                    if not isinstance(parsed, dict):
                        raise DeciderError(f"{self.provider}: unexpected reply {parsed!r:.200}",
                                           retryable=False)
                    return parsed
                msg = f"{self.provider} HTTP {response.status_code}: {server_message(response)}"
                if response.status_code not in TRANSIENT_STATUS:
                    if response.status_code in (401, 403):
                        msg += " — check FLUXAGENT_LLM_API_KEY"
                    elif response.status_code == 404:
                        msg += f" — check the model name and FLUXAGENT_LLM_BASE_URL ({url})"
                    raise DeciderError(msg, kind="provider_error", retryable=False)
                last = DeciderError(msg, kind="provider_error", retryable=True)
                wait = _retry_after(response.headers)
            if attempt == self.max_retries:
                break
            if wait is None:
                wait = self.backoff(attempt)
            elif wait > self.max_retry_after:
                raise DeciderError(f"{last} (server asks to wait {wait:.0f} s, more than "
                                   f"{self.max_retry_after:.0f} s)", kind=last.kind,
                                   retryable=True)
            log.warning("%s; retry %d/%d in %.2f s",
                        redact(str(last), self._secrets()),
                        attempt + 1, self.max_retries, wait)
            self.sleep(wait)
        assert last is not None
        raise DeciderError(f"{last} (after {self.max_retries + 1} tries)", kind=last.kind,
                           retryable=True)
