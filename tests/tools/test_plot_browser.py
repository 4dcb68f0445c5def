"""A plot is an SVG a real browser opens and draws (headless Chromium, installed by the test
command through scripts/ensure_chromium.sh)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
from matplotlib.image import imread
from toolctx import ctx, run


def screenshot(svg: Path, png: Path, profile: Path) -> None:
    chromium = shutil.which("chromium")
    assert chromium, "chromium is missing: run scripts/ensure_chromium.sh"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={profile}", "--window-size=1200,900",
                    f"--screenshot={png}", svg.as_uri()],
                   check=True, capture_output=True, timeout=120)


def test_central_metabolism_svg_renders_in_chromium(tmp_path: Path) -> None:
    res = run("plot", {"kind": "central_metabolism"}, ctx())
    ref = next(a for a in res.artifacts if a.media_type == "image/svg+xml")
    svg = tmp_path / "plot.svg"  # artifacts are stored by hash; the browser wants a suffix
    svg.write_bytes(Path(ref.path).read_bytes())
    png = tmp_path / "shot.png"
    screenshot(svg, png, tmp_path / "profile")
    pixels = imread(png)
    assert pixels.shape[0] == 900 and pixels.shape[1] == 1200
    ink = (pixels[..., :3] < 0.6).any(axis=2).mean()  # share of non-background pixels
    assert 0.005 < ink < 0.6, f"the page looks blank or broken (ink {ink:.4f})"
    colours = np.unique((pixels[..., :3] * 15).astype(int).reshape(-1, 3), axis=0)
    assert len(colours) > 8, "a drawn figure has more than a few colours"
