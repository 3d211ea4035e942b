"""Writing files people keep: all or nothing, never a half-written file."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place.

    The file gets the permissions a plain write would give it: those of the file it replaces,
    else the user's umask. A symlink is followed, so the file it points to is replaced, not the
    link. Raises OSError (nothing is left behind) when the folder is missing or not writable.
    """
    target = Path(path)
    real = Path(os.path.realpath(target))
    try:
        mode: int | None = stat.S_IMODE(real.stat().st_mode)
    except FileNotFoundError:
        mode = None
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


def _create_beside(target: Path) -> Path:
    """A new empty file next to ``target``, made with the umask's permissions."""
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp
