"""Unpack a .tgz from the internet without trusting it: plain files and folders inside the target
only."""

from __future__ import annotations

import tarfile
import zlib
from pathlib import Path

from lessonlib.data import DataError

MAX_EXTRACT = 500_000_000  # bytes all members of an archive may unpack to
MAX_MEMBERS = 100_000  # MNIST_SAMPLE holds ~14,500 files


class ArchiveError(DataError):
    """An archive that is damaged or unsafe, with a message fit to show a user."""


def check_member(member: tarfile.TarInfo, root: Path) -> None:
    """Refuse a member that is not a plain file or folder, or whose path leaves root
    (absolute or `..`)."""
    name = member.name
    if not (member.isfile() or member.isdir()):
        raise ArchiveError(f"The archive holds a link or special file ({name}); refused.")
    inside = (root / name).resolve().is_relative_to(root)
    if name.startswith(("/", "\\")) or ".." in Path(name).parts or not inside:
        raise ArchiveError(f"The archive tries to write outside its folder ({name}); refused.")


def safe_extract(archive: Path, dest: Path, max_bytes: int = MAX_EXTRACT,
                 max_members: int = MAX_MEMBERS) -> Path:
    """dest with the archive's files in it; every member is checked before anything is written."""
    dest = Path(dest)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()  # reads the whole archive: a truncated file fails here,
                                        # before writing
            if len(members) > max_members:
                raise ArchiveError(f"The archive holds {len(members):,} files; at most "
                                   f"{max_members:,} are unpacked.")
            if sum(m.size for m in members) > max_bytes:
                raise ArchiveError(f"The archive unpacks to more than {max_bytes / 1e6:.0f} MB; "
                                   f"refused.")
            root = dest.resolve()
            for m in members:
                check_member(m, root)
            dest.mkdir(parents=True, exist_ok=True)
            # Python's own check, too
            extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(dest, members=members, **extra)
    except (tarfile.TarError, EOFError, zlib.error) as e:
        raise ArchiveError(f"The archive {Path(archive).name} is damaged or unsafe "
                           f"({type(e).__name__}).") from None
    except OSError as e:
        raise ArchiveError(
            f"Cannot unpack {Path(archive).name}: {e.strerror or type(e).__name__}.") from None
    return dest
