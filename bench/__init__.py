"""fluxagent benchmarks: ``python bench/run.py [names...]`` (see bench/run.py)."""
