"""Downloads and archives, tested offline against an HTTP server this file starts on 127.0.0.1."""

import gzip
import hashlib
import io
import socket
import struct
import tarfile
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import random_sample
from torchvision.datasets import MNIST

from lessonlib.data import DataError, load_folder
from lessonlib.data import download as dl
from lessonlib.data.archive import ArchiveError, safe_extract

NO_LENGTH = -1  # serve a body without a Content-Length header


class _Handler(BaseHTTPRequestHandler):
    """GET serves server.files[path]; server.lengths[path] may announce a different
    Content-Length."""

    def do_GET(self):
        self.server.hits[self.path] += 1
        body = self.server.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        length = self.server.lengths.get(self.path, len(body))
        self.send_response(200)
        if length != NO_LENGTH:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A local file server: set server.files["/name"] = bytes; server.hits counts GETs per path."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.files, srv.lengths, srv.hits = {}, {}, Counter()
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}"
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join()


@pytest.fixture
def dead_url():
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def files_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.exists() else []


def make_tgz(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    """A .tgz of hand-made members, so a test can build archives tarfile would never write by
    itself."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def member(name: str, data: bytes = b"x", kind: bytes = tarfile.REGTYPE, link: str = "") -> tuple:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    return info, data if kind == tarfile.REGTYPE else None


@pytest.fixture
def sample(tmp_path):
    """fast.ai's MNIST_SAMPLE layout, small: (tgz bytes, the uint8 stacks written as PNGs)."""
    stacks = random_sample(tmp_path / "src" / "mnist_sample", n_train=5, n_valid=3, seed=1)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(tmp_path / "src" / "mnist_sample", arcname="mnist_sample")
    return buf.getvalue(), stacks


# --- download -------------------------------------------------------------------------------------

def test_download_streams_with_monotonic_progress_to_the_exact_bytes(server, tmp_path):
    body = np.random.default_rng(0).bytes(300_000)  # several 64 KB chunks
    server.files["/blob.bin"] = body
    calls = []
    out = dl.download(f"{server.url}/blob.bin", tmp_path / "d" / "blob.bin",
                      progress=lambda d, t: calls.append((d, t)))
    assert out.read_bytes() == body
    done = [d for d, _ in calls]
    assert len(calls) >= 2 and done == sorted(set(done)) and done[-1] == len(body)
    assert {t for _, t in calls} == {len(body)}
    assert files_under(tmp_path / "d") == [out]  # no temporary file left


def test_download_without_content_length_reports_total_zero(server, tmp_path):
    server.files["/x"], server.lengths["/x"] = b"abc" * 1000, NO_LENGTH
    calls = []
    dl.download(f"{server.url}/x", tmp_path / "x", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (3000, 0)


def test_http_404_is_a_download_error_and_leaves_nothing(server, tmp_path):
    with pytest.raises(dl.DownloadError, match="404"):
        dl.download(f"{server.url}/missing.tgz", tmp_path / "d" / "f.tgz")
    assert files_under(tmp_path / "d") == []


def test_unreachable_server_says_offline(dead_url, tmp_path):
    with pytest.raises(dl.DownloadError, match=r"Could not reach 127\.0\.0\.1 \(offline\?\)"):
        dl.download(f"{dead_url}/f.tgz", tmp_path / "f.tgz")
    assert files_under(tmp_path) == []


def test_a_server_that_never_answers_times_out(tmp_path):
    with socket.socket() as s:  # listens, so the connection opens, but never replies
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        with pytest.raises(dl.DownloadError, match="did not answer within 0.3 s"):
            dl.download(f"http://127.0.0.1:{s.getsockname()[1]}/f", tmp_path / "f", timeout=0.3)
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("length", [None, NO_LENGTH], ids=["announced", "unannounced"])
def test_downloads_over_the_size_limit_stop(server, tmp_path, length):
    server.files["/big"] = bytes(200_000)
    if length is not None:
        server.lengths["/big"] = length
    with pytest.raises(dl.DownloadError, match="limit of 0.1 MB"):
        dl.download(f"{server.url}/big", tmp_path / "big", max_bytes=100_000)
    assert files_under(tmp_path) == []


def test_a_cut_short_download_is_an_error(server, tmp_path):
    # the connection closes after 1,000 bytes
    server.files["/cut"], server.lengths["/cut"] = bytes(1000), 5000
    with pytest.raises(dl.DownloadError, match="stopped after 1,000 of 5,000 bytes"):
        dl.download(f"{server.url}/cut", tmp_path / "cut")
    assert files_under(tmp_path) == []


def test_only_http_addresses_are_downloaded(tmp_path):
    with pytest.raises(dl.DownloadError, match="Only http"):
        dl.download("file:///etc/hostname", tmp_path / "f")


# --- MNIST_SAMPLE ---------------------------------------------------------------------------------

def test_fetch_mnist_sample_unpacks_a_folder_load_folder_reads_pixel_exact(
    server, tmp_path, sample):
    body, stacks = sample
    server.files["/mnist_sample.tgz"] = body
    calls = []
    cache = tmp_path / "cache"
    folder = dl.fetch_mnist_sample(progress=lambda d, t: calls.append((d, t)), cache=cache,
                                   url=f"{server.url}/mnist_sample.tgz")
    assert folder == cache / "mnist_sample" and (folder / "labels.csv").is_file()
    assert calls[-1] == (len(body), len(body))
    # archive and work folder removed
    assert sorted(p.name for p in cache.iterdir()) == ["mnist_sample"]
    data = load_folder(folder)
    assert data.digits == [3, 7]
    for (split, digit), x in stacks.items():
        assert torch.equal(getattr(data, split)[digit], torch.from_numpy(x)), (split, digit)


def test_second_fetch_uses_the_cache_without_downloading(server, tmp_path, sample):
    server.files["/s.tgz"] = sample[0]
    first = dl.fetch_mnist_sample(cache=tmp_path, url=f"{server.url}/s.tgz")
    second = dl.fetch_mnist_sample(cache=tmp_path, url=f"{server.url}/s.tgz")
    assert first == second and server.hits["/s.tgz"] == 1


def test_fetch_offline_is_a_download_error_and_caches_nothing(dead_url, tmp_path):
    with pytest.raises(dl.DownloadError, match="offline"):
        dl.fetch_mnist_sample(cache=tmp_path / "cache", url=f"{dead_url}/s.tgz")
    assert files_under(tmp_path / "cache") == []


@pytest.mark.parametrize("kind", ["truncated", "not gzip", "gzip but not tar", "html page"])
def test_corrupt_archives_are_download_errors(server, tmp_path, sample, kind):
    body = {"truncated": sample[0][: len(sample[0]) // 2],
            "not gzip": b"\x00\x01 not an archive" * 50,
            "gzip but not tar": gzip.compress(b"hello " * 500),
            "html page": b"<html><body>Access denied</body></html>"}[kind]
    server.files["/s.tgz"] = body
    with pytest.raises(dl.DownloadError, match="damaged"):
        dl.fetch_mnist_sample(cache=tmp_path / "cache", url=f"{server.url}/s.tgz")
    assert files_under(tmp_path / "cache") == []


def test_an_archive_without_train_and_valid_is_refused(server, tmp_path):
    server.files["/s.tgz"] = make_tgz([member("other/readme.txt")])
    with pytest.raises(dl.DownloadError, match="no train/ and valid/"):
        dl.fetch_mnist_sample(cache=tmp_path / "cache", url=f"{server.url}/s.tgz")
    assert files_under(tmp_path / "cache") == []


# --- unsafe archives ------------------------------------------------------------------------------

def evil_members(outside: Path) -> dict[str, list[tuple]]:
    return {
        "dot-dot": [member("mnist_sample/train/3/a.png"), member("../evil.txt", b"owned")],
        "nested dot-dot": [member("mnist_sample/../../evil.txt", b"owned")],
        "absolute": [member(str(outside / "evil.txt"), b"owned")],
        "symlink": [member("mnist_sample/link", kind=tarfile.SYMTYPE, link=str(outside)),
                    member("mnist_sample/link/evil.txt", b"owned")],
        "relative symlink": [member("link", kind=tarfile.SYMTYPE, link="../outside")],
        "hardlink": [member("mnist_sample/passwd", kind=tarfile.LNKTYPE, link="/etc/passwd")],
        "fifo": [member("mnist_sample/pipe", kind=tarfile.FIFOTYPE)],
        "device": [member("mnist_sample/dev", kind=tarfile.CHRTYPE)],
    }


@pytest.mark.parametrize("kind", list(evil_members(Path("/x"))))
def test_malicious_archives_are_refused_and_write_nothing(tmp_path, kind):
    outside = tmp_path / "outside"
    outside.mkdir()
    archive = tmp_path / "evil.tgz"
    archive.write_bytes(make_tgz(evil_members(outside)[kind]))
    dest = tmp_path / "work" / "dest"
    with pytest.raises(dl.DownloadError, match="refused"):
        dl.extract_tgz(archive, dest)
    assert files_under(tmp_path / "work") == [] and files_under(outside) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.tgz", "outside"]


def test_a_malicious_download_leaves_the_cache_empty(server, tmp_path):
    server.files["/s.tgz"] = make_tgz([member("mnist_sample/train/3/a.png"),
                                       member("../../evil.txt", b"owned")])
    with pytest.raises(dl.DownloadError, match="outside its folder"):
        dl.fetch_mnist_sample(cache=tmp_path / "a" / "cache", url=f"{server.url}/s.tgz")
    assert files_under(tmp_path / "a") == [tmp_path / "a" / "cache"]


@pytest.mark.parametrize("limits", [{"max_bytes": 5_000}, {"max_members": 3}])
def test_oversized_archives_are_refused(tmp_path, limits):
    archive = tmp_path / "big.tgz"
    # 8 KB in 4 files
    archive.write_bytes(make_tgz([member(f"f{i}", bytes(2_000)) for i in range(4)]))
    with pytest.raises(ArchiveError, match="refused|at most"):
        safe_extract(archive, tmp_path / "dest", **limits)
    assert not (tmp_path / "dest").exists()
    assert (safe_extract(archive, tmp_path / "ok") == tmp_path / "ok"
            and len(files_under(tmp_path / "ok")) == 4)


# --- full MNIST through torchvision ---------------------------------------------------------------

def idx_gz(array: np.ndarray) -> bytes:
    """uint8 array in MNIST's idx format (magic 0x08 = ubyte, then the dims, big-endian),
    gzipped."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return gzip.compress(header + array.tobytes())


@pytest.fixture
def tiny_mnist(server, dead_url, monkeypatch):
    """20 train / 10 test digits served as torchvision's four MNIST files; the first mirror is
    dead."""
    rng = np.random.default_rng(2)
    sets = {}
    for prefix, n in (("train", 20), ("t10k", 10)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = np.tile(np.arange(10, dtype=np.uint8), n // 10)
        rng.shuffle(labels)
        sets[prefix] = images, labels
        server.files[f"/mnist/{prefix}-images-idx3-ubyte.gz"] = idx_gz(images)
        server.files[f"/mnist/{prefix}-labels-idx1-ubyte.gz"] = idx_gz(labels)
    resources = [(p.removeprefix("/mnist/"), hashlib.md5(b).hexdigest())
                 for p, b in server.files.items()]
    monkeypatch.setattr(MNIST, "mirrors", [f"{dead_url}/", f"{server.url}/mnist/"])
    monkeypatch.setattr(MNIST, "resources", resources)
    return sets


def test_full_mnist_downloads_once_and_loads_pixel_exact(server, tmp_path, tiny_mnist, capfd):
    root = dl.fetch_full_mnist(cache=tmp_path)
    assert root == tmp_path / "mnist"
    assert sorted(server.hits.values()) == [1, 1, 1, 1]
    data = dl.load_full_mnist(root)
    assert data.name == "full MNIST (30 digits)" and data.digits == list(range(10))
    for split, prefix in (("train", "train"), ("valid", "t10k")):
        images, labels = tiny_mnist[prefix]
        for d in range(10):
            assert torch.equal(getattr(data, split)[d],
                               torch.from_numpy(images[labels == d])), (split, d)
    assert dl.fetch_full_mnist(cache=tmp_path) == root
    assert sorted(server.hits.values()) == [1, 1, 1, 1]  # the second call downloads nothing
    assert capfd.readouterr().out == ""  # torchvision's prints are kept out of the app's console


def test_full_mnist_offline_is_a_download_error(dead_url, tmp_path, monkeypatch):
    monkeypatch.setattr(MNIST, "mirrors", [f"{dead_url}/"])
    with pytest.raises(dl.DownloadError, match="Could not reach 127.0.0.1"):
        dl.fetch_full_mnist(cache=tmp_path)
    with pytest.raises(DataError, match="download it first"):
        dl.load_full_mnist(tmp_path / "mnist")


def test_full_mnist_with_a_wrong_checksum_is_refused(server, tmp_path, tiny_mnist, monkeypatch):
    (name, _), *rest = MNIST.resources
    monkeypatch.setattr(MNIST, "resources", [(name, "0" * 32), *rest])
    # the live one only: its file is the wrong one
    monkeypatch.setattr(MNIST, "mirrors", MNIST.mirrors[1:])
    with pytest.raises(dl.DownloadError, match="md5 differs"):
        dl.fetch_full_mnist(cache=tmp_path)
    assert not (tmp_path / "mnist" / "MNIST" / "raw" / name).exists()
