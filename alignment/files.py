"""Writing files people keep: all or nothing, never a half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place.

    The file gets the permissions a plain write would give it: those of the file it replaces,
    else the user's umask. A symlink is followed, so the file it points to is replaced, not the
    link. A file that is not a regular file (a device such as /dev/null or /dev/stdout, a FIFO)
    is not ours to replace: the text is written through it, in place. Raises OSError (nothing is
    left behind) when the folder is missing or not writable.
    """
    target = Path(path)
    real = Path(os.path.realpath(target))
    try:
        status = real.stat()
    except FileNotFoundError:
        mode: int | None = None
    else:
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        if not stat.S_ISREG(status.st_mode):
            _write_through(real, text)
            return target
        mode = stat.S_IMODE(status.st_mode)
    temp = _create_beside(real)
    try:
        # Created with 0o666 and the umask applied, unlike tempfile.mkstemp (always 0o600).
        with open(temp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return target


def _write_through(path: Path, text: str) -> None:
    """Write into an existing non-regular file (device, FIFO) without replacing it.

    No O_CREAT and no O_TRUNC: a device cannot be truncated and must never become a regular
    file; a FIFO blocks here until someone reads it, as a shell redirection would.
    """
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    with open(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _create_beside(target: Path) -> Path:
    """A new empty file next to ``target``, made with the umask's permissions."""
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp
