"""Fetch more digits: fast.ai's MNIST_SAMPLE archive and torchvision's full MNIST, safely and into a
cache."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import io
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import torch

from lessonlib.data import DataError, DigitData, Progress
from lessonlib.data.archive import ArchiveError, safe_extract

CACHE = Path(os.environ.get("LESSONLIB_CACHE", "~/.cache/lessonlib")).expanduser()
MNIST_SAMPLE_URL = "https://s3.amazonaws.com/fast-ai-sample/mnist_sample.tgz"
MAX_DOWNLOAD = 200_000_000  # bytes; MNIST_SAMPLE is ~3 MB, full MNIST's largest file ~10 MB
KEEP = "You keep working on the current data."


class DownloadError(DataError):
    """A download or archive that failed, with a one-line message fit to show a user."""


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url


def _stream(url: str, out: io.BufferedWriter, progress: Progress | None, timeout: float,
            max_bytes: int) -> None:
    """Copy the body at url into out, calling progress(done, total); total is 0 when the server does
    not say."""
    request = urllib.request.Request(url, headers={"User-Agent": "lessonlib"})
    host, limit = _host(url), f"{max_bytes / 1e6:g} MB"
    with urllib.request.urlopen(request, timeout=timeout) as response:
        total = int(response.headers.get("Content-Length") or 0)
        if total > max_bytes:
            raise DownloadError(f"{host} offers {total / 1e6:.1f} MB, more than the limit of "
                                f"{limit}. {KEEP}")
        done = 0
        while chunk := response.read(1 << 16):
            done += len(chunk)
            if done > max_bytes:
                raise DownloadError(f"The download from {host} passed the limit of {limit} and was "
                                    f"stopped. {KEEP}")
            out.write(chunk)
            if progress:
                progress(done, total)
        if total and done != total:
            raise DownloadError(f"The download from {host} stopped after {done:,} of {total:,} "
                                f"bytes. {KEEP}")


def download(url: str, dest: Path, progress: Progress | None = None, timeout: float = 30,
             max_bytes: int = MAX_DOWNLOAD) -> Path:
    """The file at url saved as dest; written to a temporary file first, so dest is never
    half-written."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise DownloadError(f"Only http(s) addresses are downloaded, not {url!r}.")
    dest = Path(dest)
    host = _host(url)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    except OSError as e:
        raise DownloadError(f"Cannot write to {dest.parent}: {e.strerror}. {KEEP}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            _stream(url, out, progress, timeout, max_bytes)
        os.replace(tmp, dest)
    except urllib.error.HTTPError as e:
        raise DownloadError(
            f"{host} answered {e.code} {e.reason} for {Path(url).name}. {KEEP}") from None
    except (TimeoutError, urllib.error.URLError) as e:
        if isinstance(getattr(e, "reason", e), TimeoutError):
            raise DownloadError(f"{host} did not answer within {timeout:g} s. {KEEP}") from None
        raise DownloadError(f"Could not reach {host} (offline?). {KEEP}") from None
    except (OSError, http.client.HTTPException) as e:
        raise DownloadError(
            f"The download from {host} failed ({type(e).__name__}). {KEEP}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return dest


def extract_tgz(archive: Path, dest: Path) -> Path:
    """dest with the archive's files, refusing links, paths outside dest and oversized totals
    (lessonlib.archive)."""
    try:
        return safe_extract(archive, dest)
    except ArchiveError as e:
        raise DownloadError(f"{e} {KEEP}") from None


def _data_root(folder: Path) -> Path | None:
    """folder, or the first of its sub-folders, that holds train/ and valid/ (fast.ai's
    has mnist_sample/)."""
    for candidate in [folder, *sorted(p for p in folder.iterdir() if p.is_dir())]:
        if (candidate / "train").is_dir() and (candidate / "valid").is_dir():
            return candidate
    return None


def fetch_mnist_sample(progress: Progress | None = None, cache: Path = CACHE,
                       url: str = MNIST_SAMPLE_URL) -> Path:
    """The folder holding MNIST_SAMPLE's train/ and valid/, downloaded and unpacked into cache on
    first use."""
    target = Path(cache) / "mnist_sample"
    if target.is_dir() and _data_root(target) == target:
        return target
    archive = download(url, Path(cache) / "mnist_sample.tgz", progress)
    work = Path(tempfile.mkdtemp(dir=cache, prefix=".mnist_sample."))
    try:
        found = _data_root(extract_tgz(archive, work))
        if found is None:
            raise DownloadError(f"The archive from {_host(url)} has no train/ and valid/ folders. "
                                f"{KEEP}")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(found, target)  # a whole folder appears at once: a half-unpacked target never
                                   # exists
    finally:
        shutil.rmtree(work, ignore_errors=True)
        archive.unlink(missing_ok=True)
    return target


def _md5(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "md5").hexdigest()


def _fetch_resource(raw: Path, filename: str, md5: str, mirrors: list[str],
                    progress: Progress | None) -> None:
    """raw/filename with the right md5, from the first mirror that has it."""
    dest = raw / filename
    if (raw / filename.removesuffix(".gz")).is_file() or (dest.is_file() and _md5(dest) == md5):
        return
    errors = []
    for mirror in mirrors:
        try:
            download(f"{mirror}{filename}", dest, progress)
        except DownloadError as e:
            errors.append(str(e))
            continue
        if _md5(dest) == md5:
            return
        dest.unlink()
        errors.append(f"{filename} from {_host(mirror)} is not the expected file (md5 differs). "
                      f"{KEEP}")
    raise DownloadError(errors[0] if errors else f"No address to download {filename} from. {KEEP}")


def fetch_full_mnist(cache: Path = CACHE, progress: Progress | None = None) -> Path:
    """The torchvision MNIST root (train and test sets) in cache/mnist, downloaded on first use."""
    from torchvision.datasets import MNIST  # slow import, only when asked

    root = Path(cache) / "mnist"
    raw = root / "MNIST" / "raw"
    for filename, md5 in MNIST.resources:  # progress is reported per file
        _fetch_resource(raw, filename, md5, list(MNIST.mirrors), progress)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for train in (True, False):  # the files are in place: torchvision only unpacks and
                                         # checks them
                MNIST(root, train=train, download=True)
    except Exception as e:  # torchvision raises RuntimeError, URLError, ValueError …
        shutil.rmtree(root / "MNIST", ignore_errors=True)  # so that the next try starts clean
        raise DownloadError(f"torchvision could not unpack MNIST ({type(e).__name__}); try again. "
                            f"{KEEP}") from None
    return root


def load_full_mnist(root: str | Path) -> DigitData:
    """torchvision's MNIST under root: its 60,000 training images train, its 10,000 test images
    validate."""
    from torchvision.datasets import MNIST

    splits: list[dict[int, torch.Tensor]] = []
    for train in (True, False):
        try:
            ds = MNIST(root, train=train, download=False)
        except Exception as e:  # missing files: RuntimeError; damaged ones: AssertionError,
                                # ValueError …
            raise DataError(f"No readable MNIST under {root} ({type(e).__name__}); download it "
                            f"first.") from None
        # (n_d, 28, 28)
        splits.append({d: ds.data[ds.targets == d].clone() for d in ds.targets.unique().tolist()})
    n = sum(len(x) for split in splits for x in split.values())
    return DigitData(f"full MNIST ({n:,} digits)", splits[0], splits[1])
