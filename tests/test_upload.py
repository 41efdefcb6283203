"""Loading a user's upload: every bad file gives an UploadError with a message, every odd-but-valid
one a sane image."""

import io
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from lessonlib.photo import preprocess, upload
from lessonlib.photo.upload import UploadError, load_upload


def _encode(im: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


def _digit_picture(size=(60, 80)) -> np.ndarray:
    """Dark ink on white paper: an L-shaped stroke, uint8 (H, W)."""
    a = np.full(size[::-1], 255, np.uint8)
    a[10:70, 15:25] = 0
    a[60:70, 15:45] = 0
    return a


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_claiming(width: int, height: int, rows: bytes = b"") -> bytes:
    """A grayscale PNG whose header claims width × height pixels, with `rows` (compressed) as its
    only data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", rows)
            + _chunk(b"IEND", b""))


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"hello, this is not a picture", "not an image"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not an image"),  # a PNG signature and nothing sensible
    (_png_claiming(100_000, 100_000), "too many pixels"),  # over Pillow's own bomb limit
    (_png_claiming(8_000, 7_000), "megapixels"),  # under Pillow's limit, over ours
    (_encode(Image.new("L", (1, 1), 0)), "only 1×1"),
    (_encode(Image.new("L", (300, 4), 0)), "only 300×4"),
    (_encode(Image.new("L", (40, 40), 0), "TIFF"), "not supported"),
])
def test_bad_uploads_raise_upload_error_with_a_reason(data, words):
    with pytest.raises(UploadError, match=words):
        load_upload(data)


def test_a_file_over_the_size_limit_is_refused_before_reading():
    with pytest.raises(UploadError, match="MB"):
        load_upload(b"\xff" * (upload.MAX_BYTES + 1))


def test_a_real_decompression_bomb_is_refused_from_its_header_without_decoding():
    w = h = 7_500  # 56 megapixels of zeros compress to a few tens of kB
    bomb = _png_claiming(w, h, zlib.compress(b"".join(b"\x00" + bytes(w) for _ in range(h)), 9))
    assert len(bomb) < 200_000
    t0 = time.perf_counter()
    with pytest.raises(UploadError, match="megapixels"):
        load_upload(bomb)
    assert time.perf_counter() - t0 < 5  # generous: decoding was never started


def test_corrupt_and_truncated_files_raise_upload_error_at_every_cut():
    png = _encode(Image.fromarray(_digit_picture()))
    jpeg = _encode(Image.fromarray(_digit_picture()), "JPEG", quality=90)
    for data in (png, jpeg):
        for cut in range(0, len(data), max(1, len(data) // 40)):
            try:
                gray = load_upload(data[:cut])
            except UploadError:
                continue
            # some prefixes still decode: sane
            assert gray.ndim == 2 and 0 <= gray.min() and gray.max() <= 1
        damaged = bytearray(data)
        damaged[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
        try:
            load_upload(bytes(damaged))
        except UploadError:
            pass


def test_plain_png_and_jpeg_give_gray_in_zero_one():
    pic = _digit_picture()
    gray = load_upload(_encode(Image.fromarray(pic)))
    np.testing.assert_allclose(gray, pic / 255, atol=1e-6)
    gray = load_upload(_encode(Image.fromarray(pic).convert("RGB"), "JPEG", quality=95))
    np.testing.assert_allclose(gray, pic / 255, atol=0.12)  # JPEG is lossy around edges


def test_sixteen_bit_images_are_scaled_by_their_range_not_clipped():
    pic = _digit_picture().astype(np.uint16) * 257  # 0 or 65535
    im = Image.fromarray(pic)
    assert im.mode.startswith("I;16")
    gray = load_upload(_encode(im))
    np.testing.assert_allclose(gray, pic / 65535, atol=1e-6)
    assert preprocess.preprocess(gray).inverted


def test_palette_images_keep_their_colours():
    pic = _digit_picture()
    im = Image.fromarray(pic).convert("P")
    assert im.mode == "P"
    np.testing.assert_allclose(load_upload(_encode(im)), pic / 255, atol=1e-6)
    np.testing.assert_allclose(load_upload(_encode(im, "GIF")), pic / 255, atol=1e-6)


def test_transparent_background_is_white_paper():
    pic = _digit_picture()
    rgba = np.zeros(pic.shape + (4,), np.uint8)  # fully transparent black …
    rgba[..., 3] = 255 - pic  # … except the ink, opaque black
    gray = load_upload(_encode(Image.fromarray(rgba, "RGBA")))
    np.testing.assert_allclose(gray, pic / 255, atol=1e-6)
    la = Image.fromarray(rgba, "RGBA").convert("LA")
    np.testing.assert_allclose(load_upload(_encode(la)), pic / 255, atol=1e-6)
    clear = np.zeros((50, 50, 4), np.uint8)  # nothing but transparency
    with pytest.raises(preprocess.NoInkError):
        preprocess.preprocess(load_upload(_encode(Image.fromarray(clear, "RGBA"))))


def test_animations_use_their_first_frame():
    first = Image.fromarray(_digit_picture())
    second = Image.new("L", first.size, 255)
    for fmt in ("GIF", "PNG"):  # GIF and animated PNG
        data = _encode(first, fmt, save_all=True, append_images=[second], duration=100, loop=0)
        assert Image.open(io.BytesIO(data)).n_frames == 2
        np.testing.assert_allclose(load_upload(data), _digit_picture() / 255, atol=1e-6)


def test_exif_orientation_is_applied():
    pic = _digit_picture()
    im = Image.fromarray(pic).convert("RGB")
    exif = im.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view": how phones store portrait shots
    gray = load_upload(_encode(im, "JPEG", quality=95, exif=exif))
    assert gray.shape == (pic.shape[1], pic.shape[0])
    np.testing.assert_allclose(gray, np.rot90(pic, k=-1) / 255, atol=0.12)


def test_cmyk_jpeg_is_read():
    im = Image.fromarray(_digit_picture()).convert("CMYK")
    gray = load_upload(_encode(im, "JPEG", quality=95))
    assert gray.shape == (80, 60) and gray.min() < 0.2 and gray.max() > 0.8


def test_big_photos_are_shrunk_to_the_working_size():
    a = np.full((3000, 2000), 200, np.uint8)
    a[1000:2000, 800:900] = 20
    gray = load_upload(_encode(Image.fromarray(a), "JPEG", quality=80))
    assert max(gray.shape) == upload.WORK_SIDE and gray.shape[0] > gray.shape[1]


def test_a_blank_page_has_no_ink():
    with pytest.raises(preprocess.NoInkError, match="can't find"):
        preprocess.preprocess(load_upload(_encode(Image.new("RGB", (400, 300), (230, 228, 220)),
                                                  "JPEG")))


def test_to_gray_uses_luminance_and_composites_alpha():
    rgb = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]], np.uint8)  # (1, 3, 3)
    np.testing.assert_allclose(upload.to_gray(rgb)[0], [0.299, 0.587, 0.114], atol=1e-6)
    rgba = np.array([[[0, 0, 0, 0], [0, 0, 0, 255], [0, 0, 0, 51]]], np.uint8)
    np.testing.assert_allclose(upload.to_gray(rgba)[0], [1.0, 0.0, 0.8], atol=1e-6)
