"""Safe output: everything is written into a staging folder beside ``output/``, then swapped in.

A failed or interrupted build leaves the previous ``output/`` exactly as it was. Nothing is
ever written twice to one path, and a folder that holds sources is never replaced.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

SOURCE_MARKERS = ("content", "templates", "build.py", "pyproject.toml", ".git")


class OutputError(Exception):
    pass


def check_target(output: Path, project: Path) -> None:
    """Refuse an output folder that is, or contains, the project's sources."""
    output, project = output.resolve(), project.resolve()
    if output == project or project.is_relative_to(output):
        raise OutputError(f"{output} holds the project's sources: choose another output folder")
    if output.exists() and any((output / marker).exists() for marker in SOURCE_MARKERS):
        raise OutputError(f"{output} looks like a source folder (it has {', '.join(m for m in SOURCE_MARKERS if (output / m).exists())}): refusing to replace it")


class Staging:
    """A fresh folder to build into; ``commit()`` swaps it in place of the output folder."""

    def __init__(self, output: Path):
        self.output = output
        output.parent.mkdir(parents=True, exist_ok=True)
        _restore_interrupted_swap(output)
        self.path = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
        self._written: set[str] = set()

    def write(self, relative: str, content: str | bytes) -> Path:
        if relative in self._written:
            raise OutputError(f"two things were about to be written to {relative}")
        self._written.add(relative)
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)
        return target

    def copy(self, source: Path, relative: str) -> Path:
        if relative in self._written:
            raise OutputError(f"two things were about to be written to {relative}")
        self._written.add(relative)
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return target

    @property
    def written(self) -> list[str]:
        return sorted(self._written)

    def commit(self) -> None:
        """Swap the staged folder in: two renames, so output/ is never half-written."""
        old = None
        if self.output.exists():
            old = self.output.with_name(f".{self.output.name}.old-{os.getpid()}")
            if old.exists():
                shutil.rmtree(old)
            os.replace(self.output, old)
        os.replace(self.path, self.output)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _restore_interrupted_swap(output: Path) -> None:
    """A build killed between the two renames of ``commit()`` left no output/ but the previous
    one moved aside: put it back before anything else happens."""
    if output.exists():
        return
    moved = sorted(output.parent.glob(f".{output.name}.old-*"))
    if len(moved) == 1 and moved[0].is_dir():
        os.replace(moved[0], output)
