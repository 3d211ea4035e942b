"""Exported files: written whole, with the permissions a plain write would give them."""

from __future__ import annotations

import os
import stat

import pytest

from alignment.files import write_atomically

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symlinks")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_follows_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "map.md", "# map\n")
    finally:
        os.umask(old)
    assert mode(tmp_path / "map.md") == 0o644, "readable by the team, like any file they write"


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "map.md"
    target.write_text("old\n")
    target.chmod(0o664)
    write_atomically(target, "new\n")
    assert (target.read_text(), mode(target)) == ("new\n", 0o664)


def test_a_symlink_is_followed_not_replaced(tmp_path):
    real = tmp_path / "wiki" / "map.md"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "map.md"
    link.symlink_to(real)
    write_atomically(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"
    assert not list(tmp_path.rglob("*.tmp"))
