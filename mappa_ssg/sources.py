"""Reading the project's own files, and nothing else.

Every file mappa reads from content (YAML, Markdown, images, logos) and every folder it walks
comes through here, so one set of rules holds everywhere:

- a path must resolve (links followed) to somewhere inside its root (``content/`` for content):
  a link to ``/etc/passwd`` or to another project is refused, not published;
- a link that leads back to itself (a loop) is a problem, not a hang or a traceback;
- only regular files are read: a FIFO, a device such as ``/dev/zero`` or a folder named like a
  file is refused after ``fstat``, before a single byte is read (the file is opened with
  ``O_NONBLOCK``, so even opening a FIFO cannot wait for a writer);
- the size is checked before reading, and never more than the limit is read.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from .problems import Position, Problems

MAX_TEXT_BYTES = 1_000_000
MAX_IMAGE_BYTES = 20_000_000


# One wording for files and folders: a loop found both by a folder walk and by a reader is the
# same problem, reported once (Problems de-duplicates).
_LOOP = "is a link that leads back to itself (a loop): replace it with the real file or folder"


class Unreadable(Exception):
    """A file or folder that cannot be used; the message completes "path: ..."."""


def resolve_in(path: Path, root: Path, what: str = "file") -> Path:
    """``path`` with links followed, if it exists and stays inside ``root``; else :class:`Unreadable`."""
    real = _kernel_realpath(path)
    if real is None:  # no quick answer (or a problem): Path.resolve says which problem, in its words
        real = str(_resolve(path, what))
    real_root = _kernel_realpath(root) or str(root.resolve())
    if real != real_root and not real.startswith(real_root.rstrip("/") + "/"):
        raise Unreadable(f"is a link to a {what} outside the {_name(root)} folder ({real}): "
                         f"only files inside it are read; copy the {what} in instead")
    return Path(real)


def _resolve(path: Path, what: str) -> Path:
    try:
        return path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a link loop this way
        raise Unreadable(_LOOP) from None
    except FileNotFoundError:
        if path.is_symlink():
            raise Unreadable(f"is a link to a {what} that does not exist ({os.readlink(path)})") from None
        raise Unreadable("not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable(_LOOP) from None
        raise Unreadable(f"cannot be read: {exc.strerror}") from None


_O_PATH = getattr(os, "O_PATH", None)


def _kernel_realpath(path: Path) -> str | None:
    """The real path of an existing ``path``, as Linux resolved it, or None (another system, or
    any problem: the caller then asks Path.resolve).

    Path.resolve looks at each folder of the path in turn (a dozen system calls per file); the
    kernel follows the links when opening with O_PATH, which touches no file's contents (opening a
    device that way does nothing to it), and names the result under /proc/self/fd.
    """
    if _O_PATH is None:
        return None
    try:
        fd = os.open(path, _O_PATH | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:  # /proc not mounted
        return None
    finally:
        os.close(fd)
    return real if real.startswith("/") else None


def read_bytes(path: Path, root: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of the regular file ``path`` inside ``root``, at most ``limit`` of them."""
    real = resolve_in(path, root)
    try:
        # O_NOFOLLOW: the path was resolved above, so a link appearing here now is refused too.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"is not a file ({_kind(info.st_mode)}): only ordinary files are read")
        if info.st_size > limit:
            raise Unreadable(f"file is too large ({info.st_size:,} bytes; at most {limit:,})")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while being read
            raise Unreadable(f"file is too large (more than {limit:,} bytes)")
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)


def subfolders(folder: Path, root: Path, problems: Problems, rel: Callable[[Path], str],
               skip: tuple[str, ...] = (".", "_")) -> list[Path]:
    """The folders in ``folder`` to read (names not starting with ``skip``), in name order.

    A linked folder is followed only when it stays inside ``root``; a link outside or a loop is
    reported (at the link's own path, given by ``rel``) and skipped.
    """
    found = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        problems.add(Position(rel(folder)), f"cannot be read: {exc.strerror}")
        return []
    for entry in entries:
        if entry.name.startswith(skip):
            continue
        if entry.is_symlink():
            if not entry.is_dir() and entry.exists():
                continue  # a link to a file: its reader checks it
            try:
                real = resolve_in(entry, root, "folder")
            except Unreadable as exc:
                problems.add(Position(rel(entry)), str(exc))
                continue
            if real.is_dir():
                found.append(entry)
        elif entry.is_dir():
            found.append(entry)
    return found


def _name(root: Path) -> str:
    return root.name or str(root)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"
