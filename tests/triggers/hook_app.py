"""A bare FastAPI app with only the webhook router, served by uvicorn in the webhook tests."""

from fastapi import FastAPI

from fluxagent.triggers.http import router

app = FastAPI()
app.include_router(router)
