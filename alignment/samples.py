"""The sample plans shipped with the package (``alignment/sample_plans`` in a wheel).

An editable install reads them from the repository's ``sample_plans`` folder instead.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["sample_plan_paths"]


def sample_plan_paths() -> list[Path]:
    """The sample plan files, sorted by name; empty when none can be found."""
    packaged = Path(str(files("alignment"))) / "sample_plans"
    repository = Path(__file__).resolve().parent.parent / "sample_plans"
    for folder in (packaged, repository):
        if folder.is_dir():
            # The worked example of the method first: it is the one a newcomer should see.
            found = sorted(
                folder.glob("*.yaml"), key=lambda p: (p.stem != "unit-economics", p.name)
            )
            if found:
                return found
    return []
