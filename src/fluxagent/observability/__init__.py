"""Is fluxagent healthy, and what is it doing? One module per concern.

``metrics`` (Prometheus registry; session state read from the store at scrape time),
``tracing`` (OpenTelemetry provider, OTLP by the standard env vars, Temporal interceptors),
``logs`` (JSON lines carrying session, run and trace ids), ``telemetry`` (the runner's hooks,
which feed all three), ``readiness`` (``/readyz`` checks, pluggable), ``http`` (the API
server's ``/metrics`` and ``/readyz``), ``process`` (a worker's telemetry), ``doctor``
(``fluxagent doctor``).
"""
