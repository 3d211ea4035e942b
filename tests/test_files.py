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


# -- files that are not ours: devices and FIFOs are written through, never replaced -----------


def test_a_character_device_is_written_through_not_replaced(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mknod of a character device needs root")
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null
    write_atomically(null, "# map\n")
    assert stat.S_ISCHR(os.stat(null).st_mode), "still the device, not a regular file"
    assert os.stat(null).st_rdev == os.makedev(1, 3)
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_fifo_is_written_through_to_its_reader(tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomically(fifo, "# map ✓\n")
    reader.join(timeout=10)
    assert received == ["# map ✓\n".encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "still the FIFO"
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_directory_is_refused_untouched(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomically(folder, "x\n")
    assert folder.is_dir() and not list(tmp_path.glob(".*.tmp"))


def test_export_dash_o_onto_a_fifo_writes_through_it(tmp_path, samples):
    """`alignment export -o PIPE`: the reader at the other end gets the map; the FIFO stays."""
    import threading

    from click.testing import CliRunner

    from alignment.cli import main

    db = str(tmp_path / "p.db")
    assert (
        CliRunner().invoke(main, ["import", str(samples["unit-economics"]), "--db", db]).exit_code
        == 0
    )
    fifo = tmp_path / "map.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = CliRunner().invoke(main, ["export", "--format", "dot", "-o", str(fifo), "--db", db])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received and received[0].startswith(b"digraph")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
