"""A user's image as a gray array: guarded loading of uploads, and photos made from MNIST digits for
trying."""

from __future__ import annotations

import io
import math
import warnings

import numpy as np
import torch
from PIL import Image, ImageOps

from lessonlib.data import DataError

MAX_BYTES = 25_000_000  # a large phone JPEG is 3–12 MB
MAX_PIXELS = 50_000_000  # checked from the header, before anything is decoded
MIN_SIDE = 8
WORK_SIDE = 1024  # photos are shrunk to this longer side first: plenty for a 20-pixel result
FORMATS = {"PNG", "JPEG", "MPO", "GIF", "WEBP", "BMP"}  # MPO: what some phones call their JPEGs


class UploadError(DataError):
    """An image that cannot be used, with a message fit to show a user."""


def shrink(image: np.ndarray, side: int) -> np.ndarray:
    """Scale a (H, W) float image so its longer side is `side`, keeping the aspect: averaging down,
    bilinear up."""
    h, w = image.shape
    if max(h, w) == side:
        return image.astype(np.float32)
    f = side / max(h, w)
    size = (max(1, round(w * f)), max(1, round(h * f)))
    method = Image.Resampling.BOX if f < 1 else Image.Resampling.BILINEAR
    return np.asarray(Image.fromarray(image.astype(np.float32), "F").resize(size, method))


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """An (H, W) or (H, W, 2|3|4) image as (H, W) float32 luminance in [0, 1]; transparent parts
    become white."""
    x = pixels.astype(np.float32) / (255 if pixels.dtype == np.uint8 else 1)
    if x.ndim == 2:
        return np.clip(x, 0, 1)
    channels = x.shape[-1]
    colour, alpha = (x[..., :-1], x[..., -1]) if channels in (2, 4) else (x, None)
    gray = (colour @ np.array([0.299, 0.587, 0.114], np.float32) if colour.shape[-1] == 3
            else colour[..., 0])  # (H, W)
    if alpha is not None:
        gray = gray * alpha + (1 - alpha)  # composite onto white paper
    return np.clip(gray, 0, 1)


def from_pixels(pixels: np.ndarray) -> np.ndarray:
    """A drawing or an in-memory photo as (H, W) gray in [0, 1], shrunk like an upload when
    larger."""
    gray = to_gray(pixels)
    return gray if max(gray.shape) <= WORK_SIDE else shrink(gray, WORK_SIDE)


def _decode(im: Image.Image) -> np.ndarray:
    """First frame, upright, at most WORK_SIDE on its longer side, as (H, W) gray in [0, 1]."""
    im.draft("RGB", (WORK_SIDE, WORK_SIDE))  # JPEG decodes at 1/2, 1/4 or 1/8 scale; other formats
                                             # ignore it
    im.seek(0)  # an animation's first frame
    im = ImageOps.exif_transpose(im)  # phones store "rotate me" in EXIF rather than rotating the
                                      # pixels
    # 16-bit (or wider): scale by the type's range
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        top = 65535 if im.mode.startswith("I;16") else max(255.0, float(np.asarray(im).max()))
        return shrink(np.clip(np.asarray(im, dtype=np.float32) / top, 0, 1),
                      min(WORK_SIDE, max(im.size)))
    im = im.convert("RGBA")  # palette, grey + alpha, CMYK … all become RGBA; alpha is kept for
                             # compositing
    im.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)
    return to_gray(np.asarray(im))


def load_upload(data: bytes) -> np.ndarray:
    """An uploaded file as an (H, W) float32 gray image in [0, 1]; raises UploadError with the
    reason."""
    if not data:
        raise UploadError("The file is empty.")
    if len(data) > MAX_BYTES:
        size = math.ceil(len(data) / 1e5) / 10  # rounded up: a file just over the limit never reads
                                                # as "25 MB"
        raise UploadError(f"The file is {size:g} MB; please upload at most {MAX_BYTES / 1e6:g} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))  # reads the header only
    # Pillow's limit, far above ours
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError(f"The image has far too many pixels: at most {MAX_PIXELS // 10**6} MP, "
                          f"please.") from None
    except Exception:  # Pillow raises many types for files it cannot identify
        raise UploadError(
            "This file is not an image I can read. Please upload a PNG or JPEG.") from None
    with im:
        w, h = im.size
        if im.format not in FORMATS:
            raise UploadError(f"{im.format} images are not supported here. Please upload a PNG or "
                              f"JPEG.")
        if w * h > MAX_PIXELS:
            raise UploadError(f"The image is {w:,}×{h:,} pixels; at most {MAX_PIXELS // 10**6} "
                              f"megapixels, please.")
        if min(w, h) < MIN_SIDE:
            raise UploadError(f"The image is only {w}×{h} pixels; a digit needs at least "
                              f"{MIN_SIDE}×{MIN_SIDE}.")
        try:
            return _decode(im)
        except Exception:  # truncated or corrupt data fails inside the decoder, with many exception
                           # types
            raise UploadError("The image is damaged or truncated and cannot be decoded.") from None


def render_photo(
    digit: torch.Tensor, seed: int = 0, size: tuple[int, int] = (1200, 1600), thin: bool = False
) -> np.ndarray:
    """A (28, 28) MNIST digit as a phone photo: dark ink, off-centre, on shaded, noisy paper:
    (H, W, 3) uint8."""
    rng = np.random.default_rng(seed)
    w, h = size
    side = int(min(w, h) * rng.uniform(0.35, 0.6))
    big = Image.fromarray(digit.numpy().astype(np.float32), "F").resize(
        (side, side), Image.Resampling.BICUBIC)
    ink = np.clip(np.asarray(big), 0, 1)  # (side, side)
    if thin:  # a fine pen: keep only the strokes' cores
        ink = np.clip((ink - 0.8) / 0.15, 0, 1)
    top, left = int(rng.integers(0, h - side)), int(rng.integers(0, w - side))
    rows, cols = np.ogrid[:h, :w]
    angle = rng.uniform(0, 2 * np.pi)
    shade = (np.cos(angle) * cols + np.sin(angle) * rows).astype(np.float32) / max(h, w)
    # (H, W) shaded, noisy paper
    gray = 0.72 + 0.12 * shade + 0.02 * rng.standard_normal((h, w), dtype=np.float32)
    gray[top : top + side, left : left + side] *= 1 - 0.8 * ink
    tint = np.array([255, 247, 230], np.float32)  # warm paper, blue-black ink
    return np.clip(gray[..., None] * tint + 0.5, 0, 255).astype(np.uint8)  # (H, W, 3)
