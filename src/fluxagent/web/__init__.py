"""The web workbench: server-rendered pages over the same runtime functions as the CLI and
the REST API (sessions, timeline, approvals, ask, models, flows, metrics), mounted at /web."""
