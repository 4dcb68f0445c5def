"""Turning data into the text of one output surface (terminal, Markdown, HTML), safely.

Pure: imports nothing else of the project, so the CLI, the runtime's transcript and the web UI
share it.
"""
