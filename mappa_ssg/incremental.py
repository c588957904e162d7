"""Incremental builds: nothing is re-done for inputs that have not changed.

Two caches in ``.mappa-cache/``, both keyed by hashes of file *contents* (not times, which are
too coarse to tell two quick edits apart):

* the **model cache** keeps each report as loaded and validated, keyed by its folder, its area,
  ``site.yaml``, the editions and the package version, so an edit to one report re-reads one
  report;
* the **manifest** (one per output folder) records, for every output file, a digest of the
  inputs it was made from. An output whose digest is unchanged is hard-linked (or copied) from
  the previous ``output/`` into the staging folder instead of being rendered again, so an
  incremental build gives byte for byte the files a clean build gives. When no input at all has
  changed, the build is skipped and its result (files, warnings) replayed.

How a stage plugs in: for each file it makes, call ``plan.output_file(staging, path, deps, make)``
(or ``plan.output_files(staging, files, jobs)`` for many, made on every core) with ``make`` a function returning the content and ``deps`` the digests of what the file is made
from beyond the theme, ``site.yaml`` and the site's structure (which areas and reports exist, and
each area's own files), which every output depends on already: ``plan.report(report)`` for one
report, ``plan.files(prefix)`` for any file or folder of the project, ``plan.everything`` for all
inputs. Naming too little leaves a stale file; naming too much only costs time, so a page built
from every report's figures (an overview, a search index, a CSV) names ``plan.everything``.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .parallel import map_in_order
from .render import template_faults

log = logging.getLogger("mappa_ssg")

CACHE = ".mappa-cache"
INPUT_FOLDERS = ("content", "templates", "overrides")
_FORMAT = 1


def _hash(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()


class Inputs:
    """Every file under content/, templates/ and overrides/ with a hash of its bytes."""

    def __init__(self, project: Path):
        self.project = project
        self.files: dict[str, str] = {}
        self._under: dict[str, list[str]] = {}  # folder -> every file below it, for digest()
        for folder in INPUT_FOLDERS:
            self._scan(project / folder, folder)
        self._folders: dict[str, str] = {}

    def _scan(self, folder: Path, rel: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = f"{rel}/{entry.name}"
            if entry.is_symlink():
                # Never followed here (a link to / would walk the whole disk, a loop forever):
                # what it points to is part of the key, and the loader reads its target safely.
                self.files[path] = _hash("link", os.readlink(entry.path), self._stamp(entry.path))
            elif entry.is_dir():
                self._scan(Path(entry.path), path)
                continue
            elif entry.is_file():
                with open(entry.path, "rb") as handle:  # in pieces: a large file is never held whole
                    self.files[path] = hashlib.file_digest(handle, "sha1").hexdigest()
            else:
                continue  # a pipe or a device: the loader reports it if it is content
            parts = path.split("/")
            for depth in range(1, len(parts)):
                self._under.setdefault("/".join(parts[:depth]), []).append(path)

    @staticmethod
    def _stamp(path: str) -> str:
        """Size and change time of a link's target, so editing a linked file is noticed."""
        try:
            info = os.stat(path)
        except OSError:
            return "unreadable"
        return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"

    def digest(self, prefix: str, *, shallow: bool = False) -> str:
        """A digest of one file, or of every file under a folder (only its own files if ``shallow``)."""
        key = f"{prefix}|{shallow}"
        if key not in self._folders:
            if prefix in self.files:
                self._folders[key] = self.files[prefix]
            else:
                start = len(prefix) + 1
                items = [p for p in self._under.get(prefix, ()) if not (shallow and "/" in p[start:])]
                self._folders[key] = _hash(prefix, *(f"{p}={self.files[p]}" for p in items))
        return self._folders[key]

    def digest_all(self) -> str:
        if "*" not in self._folders:
            self._folders["*"] = _hash(__version__, *(f"{p}={h}" for p, h in self.files.items()))
        return self._folders["*"]


class ModelCache:
    """Reports as loaded and validated, reused while their inputs are unchanged."""

    def __init__(self, project: Path, inputs: Inputs):
        self.path = project / CACHE / "model.pickle"
        self.inputs = inputs
        self.entries: dict[str, tuple[str, object]] = {}
        self.fresh: dict[str, tuple[str, object]] = {}
        try:
            with open(self.path, "rb") as handle:
                stored = pickle.load(handle)
            if stored.get("format") == (_FORMAT, __version__):
                self.entries = stored["entries"]
        except Exception:  # a missing, old or damaged cache is simply rebuilt
            self.entries = {}

    def key(self, report_dir: str) -> str:
        area_dir = report_dir.rsplit("/", 1)[0]
        return _hash(__version__, self.inputs.digest("templates/editions"), self.inputs.digest("content/site.yaml"),
                     self.inputs.digest(area_dir, shallow=True), self.inputs.digest(report_dir))

    def get(self, report_dir: str) -> object | None:
        entry = self.entries.get(report_dir)
        if entry is None or entry[0] != self.key(report_dir):
            return None
        self.fresh[report_dir] = entry
        return entry[1]

    def put(self, report_dir: str, report: object) -> None:
        """Keep a report that loaded with no problem at all (problems are never replayed from here)."""
        self.fresh[report_dir] = (self.key(report_dir), report)

    def save(self) -> None:
        if self.fresh == self.entries:
            return
        atomic_write(self.path, pickle.dumps({"format": (_FORMAT, __version__), "entries": self.fresh}, pickle.HIGHEST_PROTOCOL))


class Plan:
    """Which outputs of the previous build into ``output`` can be reused, and the record of this one."""

    def __init__(self, project: Path, output: Path, *, pdf: bool, drafts: bool = False):
        self.project = project
        self.output = output
        self.pdf = pdf
        self.inputs = Inputs(project)
        # What changes every output at once: a new version of mappa, another date for the PDFs,
        # or drafts shown or not (area pages list them).
        self.options = {"version": __version__, "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""), "drafts": drafts}
        self.path = _manifest(project, output)
        self.previous = _read_manifest(self.path)
        if self.previous.get("format") != _FORMAT or self.previous.get("options") != self.options:
            self.previous = {}
        self.outputs: dict[str, str] = {}
        self.reused = 0
        self.theme = _hash(__version__, self.inputs.digest("templates"), self.inputs.digest("overrides"))
        self.site_file = self.inputs.digest("content/site.yaml")
        self.everything = self.inputs.digest_all()
        self._structure: str | None = None

    # -- the whole build --------------------------------------------------------------------
    def unchanged(self) -> dict | None:
        """The previous build's record if no input changed and its output is all still there."""
        old = self.previous
        if not old or old.get("inputs") != self.everything or old.get("pdf") != self.pdf or not self.output.is_dir():
            return None
        if not all((self.output / path).is_file() for path in old.get("written", ())):
            return None
        return old

    def forget(self) -> None:
        """Delete the previous build's record before its output is replaced, so that a record
        which then cannot be saved never describes files that are gone."""
        self.path.unlink(missing_ok=True)

    def save(self, written: list[str], problems: list, pdfs: int) -> None:
        record = {"format": _FORMAT, "options": self.options, "inputs": self.everything, "outputs": self.outputs, "pdf": self.pdf,
                  "written": written, "pdfs": pdfs,
                  "problems": [[p.path, p.line, p.col, p.message, p.severity] for p in problems]}
        atomic_write(self.path, json.dumps(record, sort_keys=True).encode("utf-8"))

    # -- dependencies -----------------------------------------------------------------------
    @property
    def structure(self) -> str:
        """Which areas and reports exist, and every area's own files (names, links, logos)."""
        if self._structure is None:
            folders = sorted({p.rsplit("/", 1)[0] for p in self.inputs.files if p.count("/") == 3 and p.startswith("content/")})
            areas = sorted({p.split("/")[1] for p in self.inputs.files if p.startswith("content/") and p.count("/") >= 2})
            self._structure = _hash(*folders, *(self.inputs.digest(f"content/{a}", shallow=True) for a in areas))
        return self._structure

    def files(self, prefix: str) -> str:
        return self.inputs.digest(prefix)

    def report(self, report) -> str:
        """A report's own inputs: its folder and any image it uses from elsewhere in content/."""
        extra = [self.files(self._rel(image.source)) for image in report.images]
        return _hash(self.files(report.source_dir), *extra)

    def _rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.project).as_posix()
        except ValueError:
            return str(path)

    # -- one output -------------------------------------------------------------------------
    def output_file(self, staging, path: str, deps: Iterable[str], make: Callable[[], str | bytes]) -> None:
        """Write ``path`` into staging: reused from the previous output if its inputs are unchanged."""
        self.output_files(staging, [(path, deps, make)], jobs=1)

    def output_files(self, staging, files: Iterable[tuple[str, Iterable[str], Callable[[], str | bytes]]], jobs: int | None = None) -> None:
        """``output_file`` for many files at once: the unchanged ones reused, the others made on
        ``jobs`` processes (parallel.py) and written here as they come back."""
        todo, kept = [], []
        for path, deps, make in files:
            digest = _hash(self.theme, self.site_file, self.structure, *deps)
            self.outputs[path] = digest
            old = self.output / path
            if self.previous.get("outputs", {}).get(path) == digest and old.is_file():
                kept.append((old, path))
            else:
                todo.append((path, make))
        made = map_in_order(_make, todo, jobs)  # workers forked now, before the writer threads
        try:
            with staging.writing_behind():
                for old, path in kept:
                    staging.reuse(old, path)
                self.reused += len(kept)
                for (path, _), content in zip(todo, made):
                    staging.write(path, content)
        finally:
            made.close()

    def can_reuse(self, path: str, deps: Iterable[str]) -> bool:
        """For outputs made outside ``output_file`` (PDFs, rendered in parallel): record and test."""
        digest = _hash(self.theme, self.site_file, self.structure, *deps)
        self.outputs[path] = digest
        return self.previous.get("outputs", {}).get(path) == digest and (self.output / path).is_file()


def _make(job: tuple[str, Callable[[], str | bytes]]) -> str | bytes:
    with template_faults():  # a fault in a site's template is reported at its line (render.py)
        return job[1]()


def recorded_outputs(project: Path, output: Path) -> list[str]:
    """Every file the last build into ``output`` wrote, as recorded in its manifest (from any
    version of mappa; empty if there is no record)."""
    written = _read_manifest(_manifest(project, output)).get("written")
    return [str(path) for path in written] if isinstance(written, list) else []


def _manifest(project: Path, output: Path) -> Path:
    name = hashlib.sha1(str(output).encode("utf-8")).hexdigest()[:16]
    return project / CACHE / f"manifest-{name}.json"


def _read_manifest(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (a build stopped half-way leaves the old file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
