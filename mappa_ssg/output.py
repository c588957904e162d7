"""Safe output: everything is written into a staging folder beside ``output/``, then swapped in.

A failed or interrupted build leaves the previous ``output/`` exactly as it was. Nothing is
ever written twice to one path, and a folder that holds sources is never replaced.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
        self._folders: set[str] = set()

    def write(self, relative: str, content: str | bytes) -> Path:
        target = self.copy_target(relative)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)
        return target

    def copy(self, source: Path, relative: str) -> Path:
        target = self.copy_target(relative)
        shutil.copyfile(source, target)
        return target

    def copy_target(self, relative: str) -> Path:
        """Claim ``relative`` (once only) and make its folder; the caller puts the file there."""
        if relative in self._written:
            raise OutputError(f"two things were about to be written to {relative}")
        self._written.add(relative)
        target = self.path / relative
        folder = relative.rpartition("/")[0]
        if folder not in self._folders:  # thousands of files share a few hundred folders
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        return target

    def reuse(self, previous: Path, relative: str) -> Path:
        """Take an unchanged file from the previous output: a hard link (no copy) where possible."""
        target = self.copy_target(relative)
        try:
            os.link(previous, target)
        except OSError:
            shutil.copyfile(previous, target)
        return target

    @property
    def written(self) -> list[str]:
        return sorted(self._written)

    def commit(self) -> None:
        """Swap the staged folder in: two renames, so output/ is never half-written.

        The previous output is first moved to a fixed name (``.output.previous``) so a build
        killed between the renames can be repaired by the next one; only after the swap is it
        renamed to a unique trash name and deleted in the background.
        """
        previous = _previous(self.output)
        if previous.exists():
            shutil.rmtree(previous)
        if self.output.exists():
            os.replace(self.output, previous)
        os.replace(self.path, self.output)
        if previous.exists():
            trash = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.trash-", dir=self.output.parent))
            os.replace(previous, trash / "output")
            _remove_later(trash)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _previous(output: Path) -> Path:
    return output.with_name(f".{output.name}.previous")


def _remove_later(folder: Path) -> None:
    """Delete the replaced output in the background: on some disks removing thousands of files takes
    longer than building them, and the new output is already in place."""
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(folder)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _restore_interrupted_swap(output: Path) -> None:
    """A build killed between the two renames of ``commit()`` left no output/ but the previous
    one moved aside: put it back before anything else happens."""
    previous = _previous(output)
    if not output.exists() and previous.is_dir():
        os.replace(previous, output)
