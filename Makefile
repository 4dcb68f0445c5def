# The two Quickstart commands: `make demo` (set up, answer a real question) and `make test`.
QUESTION ?= Which genes are essential in E. coli core without oxygen?
PY := .venv/bin/python

.PHONY: setup demo test lint bench eval

setup:
	@bash scripts/setup.sh

demo: setup
	@.venv/bin/fluxagent ask "$(QUESTION)"

test: setup
	@bash scripts/test.sh

lint: setup
	.venv/bin/ruff check src tests bench
	.venv/bin/mypy

bench: setup
	$(PY) bench/run.py

eval: setup
	.venv/bin/fluxagent eval eval/dev_queries.yaml
