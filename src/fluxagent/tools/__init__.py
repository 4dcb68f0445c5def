"""Tools: the registry and the analyses it serves."""

from __future__ import annotations

import importlib
import pkgutil

from fluxagent.tools.registry import REGISTRY, Registry

#: Modules that register tools when imported (each adds its own ``@REGISTRY.tool`` functions).
TOOL_PACKAGES = ("fluxagent.tools.cobra", "fluxagent.human.tools", "fluxagent.tools.modelseed",
                 "fluxagent.tools.catalog")


def load_all() -> Registry:
    """Import every tool module once so the shared registry is complete."""
    for pkg_name in TOOL_PACKAGES:
        try:
            pkg = importlib.import_module(pkg_name)
        except ModuleNotFoundError as exc:
            if exc.name != pkg_name:
                raise
            continue
        for mod in pkgutil.iter_modules(getattr(pkg, "__path__", [])):  # a module: no subs
            importlib.import_module(f"{pkg_name}.{mod.name}")
    return REGISTRY
