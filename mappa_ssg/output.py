"""Safe output: everything is written into a staging folder beside ``output/``, then swapped in.

A failed or interrupted build leaves the previous ``output/`` exactly as it was, and the next
build tidies up after it. Nothing is ever written twice to one path, and mappa only ever
replaces a folder it made itself (it holds the ``.mappa-output`` marker), or an empty one: never
the project, its sources or an unrelated folder. Folders and files are made with the
permissions the user's umask gives (usually 0755 and 0644), so a web server can read them.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

MARKER = ".mappa-output"
MARKER_TEXT = """\
This folder was made by mappa (mappa-ssg). Each build replaces the whole folder, so do not keep
anything of your own here. mappa replaces only folders holding this file, or empty ones: delete
this file and mappa will refuse to write here.
"""
SOURCES = ("content", "templates", "overrides", ".git")
WRITER_THREADS = 8  # files being created at once by Staging.writing_behind
WRITES_QUEUED = 256  # files made but not yet written, at most


class OutputError(Exception):
    pass


def check_target(output: Path, project: Path, made_before: Collection[str] | None = None) -> None:
    """Refuse an output folder that mappa may not replace, before anything is read or written.

    Allowed: an absent or empty folder, or one mappa made (the marker file; or, from versions
    before the marker, a folder holding only files the last build into it recorded, passed as
    ``made_before``). Never the project folder, content/, templates/, overrides/ or .git (nor a
    folder inside or around one of them), even when reached through a symlink.
    """
    output, project = output.resolve(), project.resolve()
    protected = [("the project folder", project)]
    protected += [(f"the project's {name}/ folder", (project / name).resolve()) for name in SOURCES]
    for what, folder in protected:
        if output == folder:
            raise OutputError(f"{output} is {what}: choose another output folder, such as {project / 'output'}")
        if folder != project and output.is_relative_to(folder):
            raise OutputError(f"{output} is inside {what}: choose an output folder outside it")
        if folder.is_relative_to(output):
            raise OutputError(f"{output} holds {what}: choose another output folder, such as {project / 'output'}")
    if not output.exists():
        return
    if not output.is_dir():
        raise OutputError(f"{output} is a file, not a folder: choose another output folder")
    if (output / MARKER).is_file():
        return
    strangers = _not_made_by(output, made_before or ())
    if strangers:
        shown = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
        raise OutputError(f"{output} was not made by mappa (it holds {shown}); mappa only replaces a folder it made "
                          f"or an empty folder: choose another output folder")


def _not_made_by(output: Path, made: Collection[str]) -> list[str]:
    """Some entries of ``output`` that are not files of the build recorded as ``made`` (all of
    them when nothing is recorded)."""
    if not made:
        return sorted(os.listdir(output))
    strangers: list[str] = []
    for folder, dirs, files in os.walk(output):  # symlinks are not followed, and never ours
        for name in sorted(dirs + files):
            full = os.path.join(folder, name)
            if os.path.islink(full) or (name in files and Path(full).relative_to(output).as_posix() not in made):
                strangers.append(Path(full).relative_to(output).as_posix())
        if len(strangers) > 3:
            break
    return strangers


class Staging:
    """A fresh folder to build into; ``commit()`` swaps it in place of the output folder."""

    def __init__(self, output: Path):
        self.output = output
        output.parent.mkdir(parents=True, exist_ok=True)
        _tidy(output)
        self.path = _new_folder(output.parent, f".{output.name}.staging-{os.getpid()}-")
        # mkdir honours the umask: files get the same permissions without the execute bits.
        self._file_mode = stat.S_IMODE(self.path.stat().st_mode) & 0o666
        try:
            (self.path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        except BaseException:
            self.discard()
            raise
        self._written: set[str] = set()
        self._folders: set[str] = set()
        self._writers: ThreadPoolExecutor | None = None
        self._pending: list[Future] = []
        self._room = threading.BoundedSemaphore(WRITES_QUEUED)

    @contextmanager
    def writing_behind(self, threads: int = WRITER_THREADS) -> Iterator[None]:
        """Within the block, ``write`` and ``reuse`` return at once and a few threads do the disk
        work; leaving the block waits for every file and raises the first failure (disk full).

        Why: creating a file costs the disk far more than the build's CPU does to make it on
        some disks (0.5 ms a file on a virtual disk just after the last output was deleted: a
        second for an archive), and several creations in flight overlap that wait. The caller
        forks any worker processes first (parallel.map_in_order does): a fork must not copy
        these threads' locks.
        """
        self._writers = ThreadPoolExecutor(threads, thread_name_prefix="mappa-write")
        failed = True
        try:
            yield
            failed = False
        finally:
            writers, self._writers = self._writers, None
            writers.shutdown(wait=True, cancel_futures=failed)
            pending, self._pending = self._pending, []
        for future in pending:
            if not future.cancelled():
                future.result()  # the first failure, with the file it happened on

    def write(self, relative: str, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        self._put(relative, lambda target: _write_new(target, data))

    def copy(self, source: Path, relative: str) -> Path:
        target = self.copy_target(relative)
        shutil.copyfile(source, target)
        return target

    def copy_target(self, relative: str) -> Path:
        """Claim ``relative`` (once only) and make its folder; the caller puts the file there."""
        target = self._claim(relative)
        self._folder_for(relative)
        return target

    def _claim(self, relative: str) -> Path:
        if relative in self._written:
            raise OutputError(f"two things were about to be written to {relative}")
        self._written.add(relative)
        return self.path / relative

    def _folder_for(self, relative: str) -> None:
        folder = relative.rpartition("/")[0]
        if folder not in self._folders:  # thousands of files share a few hundred folders
            (self.path / folder).mkdir(parents=True, exist_ok=True)  # exist_ok: safe from any thread
            self._folders.add(folder)  # only once it exists, so no thread writes into it early

    def _put(self, relative: str, make: Callable[[Path], object]) -> None:
        """Claim ``relative`` here and now; make the file here, or on a writer thread."""
        target = self._claim(relative)

        def put() -> None:
            try:
                self._folder_for(relative)
                make(target)
            finally:
                if writers is not None:
                    self._room.release()

        writers = self._writers
        if writers is None:
            put()
            return
        self._room.acquire()  # a bounded queue: made content never piles up in memory
        self._pending.append(writers.submit(put))

    def reuse(self, previous: Path, relative: str) -> None:
        """Take an unchanged file from the previous output: a hard link (no copy) where possible.

        A file made under another umask is copied instead, so that it gets this build's permissions.
        """
        self._put(relative, lambda target: self._link_or_copy(previous, target))

    def _link_or_copy(self, previous: Path, target: Path) -> None:
        if stat.S_IMODE(previous.stat().st_mode) == self._file_mode:
            try:
                os.link(previous, target)
                return
            except OSError:  # another disk, or a file system without hard links
                pass
        shutil.copyfile(previous, target)

    @property
    def written(self) -> list[str]:
        return sorted(self._written)

    def commit(self) -> None:
        """Swap the staged folder in: two renames, so output/ is never half-written.

        The previous output is first moved to a fixed name (``.output.previous``) so a build
        killed between the renames can be repaired by the next one; only after the swap is it
        renamed to a unique trash name and deleted in the background. All renames stay in one
        folder: moving a folder to another parent needs write permission on the folder itself,
        which a read-only output/ does not give.
        """
        previous = _previous(self.output)
        moved = self.output.exists()
        if moved:
            os.replace(self.output, previous)
        try:
            os.replace(self.path, self.output)
        except OSError:
            if moved:
                os.replace(previous, self.output)
            raise
        if moved:
            try:
                _remove_later([_to_trash(previous, self.output)])
            except OSError:
                pass  # the new output is in place; the next build removes .output.previous

    def discard(self) -> None:
        remove_trees([self.path])


def _write_new(path: Path, data: bytes) -> None:
    """Write a new file in one open, write and close (a build writes thousands: no file object
    or buffer is made for content that is already whole). Mode 0o666 less the umask, as open()."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        exc.filename = exc.filename or str(path)  # say which file the disk filled up on
        raise
    finally:
        os.close(fd)


def _previous(output: Path) -> Path:
    return output.with_name(f".{output.name}.previous")


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new folder with a unique name, made with the umask's permissions (tempfile.mkdtemp
    always makes 0700, which a web server running as another user cannot read)."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            os.mkdir(path, 0o777)
            return path
        except FileExistsError:
            continue


def _to_trash(folder: Path, output: Path) -> Path:
    """Rename ``folder`` to a new ``.output.trash-*`` name beside ``output``, freeing its name at once."""
    while True:
        trash = output.with_name(f".{output.name}.trash-{secrets.token_hex(4)}")
        if not os.path.lexists(trash):
            os.replace(folder, trash)
            return trash


def _tidy(output: Path) -> None:
    """Repair or remove what an interrupted build left beside ``output``.

    * Killed between the two renames of ``commit()``: no output/, but the previous one moved
      aside; put it back. With output/ in place, the moved-aside one is garbage.
    * Staging folders whose build process is gone (its process id is in the name), and trash
      folders whose background removal was stopped.
    """
    previous = _previous(output)
    garbage: list[Path] = []
    if previous.is_dir():
        if not output.exists():
            os.replace(previous, output)
        else:
            garbage.append(_to_trash(previous, output))
    staging = re.compile(rf"\.{re.escape(output.name)}\.staging-(?:(\d+)-)?")
    for entry in output.parent.iterdir():
        match = staging.match(entry.name)
        if match and not _running(match.group(1)):
            garbage.append(_to_trash(entry, output))
        elif entry.name.startswith(f".{output.name}.trash-") and entry not in garbage:
            garbage.append(entry)
    if garbage:
        _remove_later(garbage)


def _running(pid: str | None) -> bool:
    """Whether the build that made a staging folder may still be running (a name without a
    process id is from an older version of mappa, whose build has long finished)."""
    if pid is None:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or an odd name: leave it alone
    return True


def _remove_later(folders: list[Path]) -> None:
    """Delete replaced output in the background: on some disks removing thousands of files takes
    longer than building them, and the new output is already in place.

    The helper process loads this file alone, not the whole package, so it starts in
    milliseconds; ``-I`` keeps the environment and the current folder out of its imports.
    """
    loader = ("import importlib.util as u, sys; s = u.spec_from_file_location('mappa_output', sys.argv[1]); "
              "m = u.module_from_spec(s); s.loader.exec_module(m); m.remove_trees(sys.argv[2:])")
    try:
        subprocess.Popen([sys.executable, "-I", "-c", loader, __file__, *map(str, folders)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        remove_trees(folders)


def remove_trees(folders: Iterable[Path | str]) -> None:
    """Remove folders mappa made, even ones made read-only since (their owner may make them
    writable again). Never raises: what cannot be removed is left for the next build."""
    for folder in folders:
        try:
            if not os.path.isdir(folder) or os.path.islink(folder):
                os.unlink(folder)
                continue
            shutil.rmtree(folder)
            continue
        except FileNotFoundError:
            continue
        except OSError:
            pass
        _unlock(folder)
        # Top-down, so each folder is writable before the walk goes into it; symlinks are not
        # followed, so nothing outside the folder has its permissions changed.
        for root, dirs, _ in os.walk(folder):
            for name in dirs:
                _unlock(os.path.join(root, name))
        shutil.rmtree(folder, ignore_errors=True)


def _unlock(path: Path | str) -> None:
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISDIR(mode):
            os.chmod(path, stat.S_IMODE(mode) | stat.S_IRWXU)
    except OSError:
        pass
