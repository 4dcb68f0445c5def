"""Where flows come from: the shipped definitions, a user folder, or a file path."""

from __future__ import annotations

from pathlib import Path

from fluxagent.flows.schema import Flow, FlowError, load_flow_file

DEFINITIONS = Path(__file__).parent / "definitions"


def flow_dirs(extra: Path | None = None) -> list[Path]:
    """Shipped definitions first; a user folder (``DATA_DIR/flows``) may add more."""
    dirs = [DEFINITIONS]
    if extra is not None and extra.is_dir():
        dirs.append(extra)
    return dirs


def flow_files(extra: Path | None = None) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for d in flow_dirs(extra):
        for path in sorted(d.glob("*.yaml")):
            files.setdefault(path.stem, path)
    return files


def find_flow(name_or_path: str, extra: Path | None = None) -> Path:
    files = flow_files(extra)
    if name_or_path in files:
        return files[name_or_path]
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise FlowError(f"{path}: no such flow file")
        return path
    from difflib import get_close_matches
    close = get_close_matches(name_or_path, list(files), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else \
        f"; flows: {', '.join(files) or 'none'}"
    raise FlowError(f"no flow named {name_or_path!r}{hint}")


def load_flow(name_or_path: str, extra: Path | None = None) -> Flow:
    return load_flow_file(find_flow(name_or_path, extra))
