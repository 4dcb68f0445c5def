"""The Temporal runner: a workflow per session running the loop of runtime/loop.py.

``workflow.py`` (deterministic: sessions ids and small plans only), ``activities.py`` (the
decider, the tools and the bookkeeping steps, each storing its outcome once in the thread),
``fanout.py`` (heavy analyses split over workers), ``runner.py`` (the client side every
channel uses), ``worker.py`` (``fluxagent worker``).
"""
