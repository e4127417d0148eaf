"""Screenshots of the journey: every page it visits, full page, numbered in the order seen
(test-artifacts/journey/NN-name.png); with JOURNEY_SCREENSHOTS=<folder> (`make screenshots`)
also a curated set of main screens for the README, as the 1280×800 viewport shows them."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from tests_journey.deployment import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "journey"
VIEWPORT = {"width": 1280, "height": 800}


def curated_folder() -> Path | None:
    folder = os.environ.get("JOURNEY_SCREENSHOTS", "").strip()
    if not folder:
        return None
    path = Path(folder)
    return path if path.is_absolute() else ROOT / path


def optimise_png(path: Path) -> None:
    """256 colours, no dithering: the flat UI stays crisp at a fraction of the size."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


class Screens:
    def __init__(self, folder: Path = ARTIFACTS, curated: Path | None = None):
        self.folder = folder
        self.curated = curated
        self.count = 0
        self.saved: list[Path] = []
        self.curated_saved: list[Path] = []
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        if curated is not None:
            curated.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, name: str, *, doc: str | None = None) -> None:
        """Save the whole of ``page``; ``doc`` names its README copy (viewport only)."""
        page.wait_for_load_state("load")
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        self.saved.append(path)
        if doc and self.curated is not None:
            copy = self.curated / f"{doc}.png"
            page.screenshot(path=str(copy), full_page=False, animations="disabled")
            optimise_png(copy)
            self.curated_saved.append(copy)
