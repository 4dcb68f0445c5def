"""The REST API: ``create_app()`` (FastAPI) and ``serve()`` (uvicorn) for ``fluxagent serve``."""
