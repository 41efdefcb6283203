"""A user's digit made like MNIST's: ink bright on black, cropped, 20 px on its longer side, centred in 28×28."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageOps

from lessonlib.data import DataError

MAX_BYTES = 25_000_000  # a large phone JPEG is 3–12 MB
MAX_PIXELS = 50_000_000  # checked from the header, before anything is decoded
MIN_SIDE = 8
WORK_SIDE = 1024  # photos are shrunk to this longer side first: plenty for a 20-pixel result
FORMATS = {"PNG", "JPEG", "MPO", "GIF", "WEBP", "BMP"}  # MPO: what some phones call their JPEGs
BOX, FRAME = 20, 28  # MNIST: the digit's longer side is 20 px, centred in a 28×28 frame
CENTRE = 14.0  # where MNIST's centres of mass sit, in pixel indices: 14.0 ± 0.29 over the bundled digits
MIN_INK = 0.12  # weakest contrast counted as ink, on a 0–1 scale


class UploadError(DataError):
    """An uploaded image that cannot be used, with a message fit to show a user."""


class NoInkError(UploadError):
    """An image in which no ink stands out from the paper."""


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """Any (H, W), (H, W, 2|3|4) image as (H, W) float32 luminance in [0, 1]; transparency becomes white paper."""
    x = pixels.astype(np.float32) / (255 if pixels.dtype == np.uint8 else 1)
    if x.ndim == 2:
        return np.clip(x, 0, 1)
    colour, alpha = (x[..., :1], x[..., 1:2]) if x.shape[-1] == 2 else (x[..., :3], x[..., 3:4] if x.shape[-1] == 4 else None)
    gray = colour @ np.array([0.299, 0.587, 0.114], np.float32) if colour.shape[-1] == 3 else colour[..., 0]  # (H, W)
    if alpha is not None:
        gray = gray * alpha[..., 0] + (1 - alpha[..., 0])  # composite onto white
    return np.clip(gray, 0, 1)


def _decode(im: Image.Image) -> np.ndarray:
    """First frame, upright, at most WORK_SIDE on its longer side, as (H, W) gray in [0, 1]."""
    im.draft("RGB", (WORK_SIDE, WORK_SIDE))  # JPEG decodes at 1/2, 1/4 or 1/8 scale; other formats ignore it
    im.seek(0)  # an animation's first frame
    im = ImageOps.exif_transpose(im)
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):  # 16-bit (or wider): scale by the type's range
        top = 65535 if im.mode.startswith("I;16") else max(255, float(np.asarray(im).max()))
        gray = np.asarray(im, dtype=np.float32) / top
        return shrink(np.clip(gray, 0, 1), WORK_SIDE)
    im = im.convert("RGBA")  # palette, grey+alpha, CMYK … all become RGBA; alpha is kept for compositing
    im.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)
    return to_gray(np.asarray(im))


def load_upload(data: bytes) -> np.ndarray:
    """An uploaded file as an (H, W) float32 gray image in [0, 1]; raises UploadError with the reason."""
    if not data:
        raise UploadError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise UploadError(f"The file is {len(data) / 1e6:.0f} MB; please upload at most {MAX_BYTES / 1e6:.0f} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except Exception:  # Pillow raises many types for files it cannot identify
        raise UploadError("This file is not an image I can read. Please upload a PNG or JPEG.") from None
    with im:
        w, h = im.size
        if im.format not in FORMATS:
            raise UploadError(f"{im.format} images are not supported. Please upload a PNG or JPEG.")
        if w * h > MAX_PIXELS:
            raise UploadError(f"The image is {w:,}×{h:,} pixels; at most {MAX_PIXELS / 1e6:.0f} megapixels, please.")
        if min(w, h) < MIN_SIDE:
            raise UploadError(f"The image is only {w}×{h} pixels; a digit needs at least {MIN_SIDE}×{MIN_SIDE}.")
        try:
            return _decode(im)
        except Exception:  # truncated or corrupt data fails inside the decoder, with many exception types
            raise UploadError("The image is damaged or truncated and cannot be decoded.") from None


def shrink(image: np.ndarray, side: int) -> np.ndarray:
    """Scale a (H, W) float image so its longer side is `side`, keeping the aspect: averaging down, bilinear up."""
    h, w = image.shape
    if max(h, w) == side:
        return image.astype(np.float32)
    f = side / max(h, w)
    size = (max(1, round(w * f)), max(1, round(h * f)))
    method = Image.Resampling.BOX if f < 1 else Image.Resampling.BILINEAR
    return np.asarray(Image.fromarray(image.astype(np.float32), "F").resize(size, method))


def _background(x: np.ndarray) -> np.ndarray:
    """Smooth paper level under bright ink: low percentile in ~8×8 blocks, min of neighbours, upsampled."""
    b = max(4, max(x.shape) // 8)
    h, w = -(-x.shape[0] // b) * b, -(-x.shape[1] // b) * b
    padded = np.pad(x, ((0, h - x.shape[0]), (0, w - x.shape[1])), mode="edge")
    blocks = padded.reshape(h // b, b, w // b, b).transpose(0, 2, 1, 3).reshape(h // b, w // b, b * b)
    grid = np.pad(np.percentile(blocks, 20, axis=-1), 1, mode="edge").astype(np.float32)  # (gh+2, gw+2)
    gh, gw = h // b, w // b
    grid = np.min([grid[i : i + gh, j : j + gw] for i in range(3) for j in range(3)], axis=0)  # ink-heavy blocks
    up = Image.fromarray(grid, "F").resize((w, h), Image.Resampling.BILINEAR)
    return np.asarray(up)[: x.shape[0], : x.shape[1]]


def _otsu(x: np.ndarray) -> float:
    """The threshold that best splits the values in two groups (Otsu's method, 256 bins)."""
    counts, edges = np.histogram(x, bins=256, range=(0, 1))
    centres = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(counts)
    m0 = np.cumsum(counts * centres)
    w1, m1 = w0[-1] - w0, m0[-1] - m0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = w0 * w1 * (m0 / w0 - m1 / w1) ** 2
    return float(edges[1:][np.nanargmax(np.nan_to_num(between, nan=-1))])


def _neighbours(mask: np.ndarray) -> np.ndarray:
    """How many of the 3×3 pixels around each pixel (itself included) are set."""
    p = np.pad(mask.astype(np.uint8), 1)
    h, w = mask.shape
    return sum(p[i : i + h, j : j + w] for i in range(3) for j in range(3))


def _ink_box(mask: np.ndarray, trim: float = 0.003) -> tuple[int, int, int, int]:
    """Rows and columns (top, bottom, left, right; end exclusive) holding all but a sliver of the ink."""
    box = []
    for axis in (1, 0):
        mass = np.cumsum(mask.sum(axis))
        lo = int(np.searchsorted(mass, trim * mass[-1], side="right"))
        hi = int(np.searchsorted(mass, (1 - trim) * mass[-1], side="left")) + 1
        box += [lo, max(hi, lo + 1)]
    return box[0], box[1], box[2], box[3]


@dataclass
class Steps:
    """Every intermediate image of the preprocessing, for showing, and the MNIST-like result."""

    gray: np.ndarray  # (H, W) the input as luminance, 1 = white
    inverted: bool  # the ink was dark on light paper, so the image was flipped
    ink: np.ndarray  # (H, W) ink bright on black, paper level subtracted, contrast stretched
    box: tuple[int, int, int, int]  # top, bottom, left, right of the ink in `ink`
    cropped: np.ndarray  # (h, w) the ink's bounding box
    scaled: np.ndarray  # (≤20, ≤20) longer side 20 px
    centred: np.ndarray  # (28, 28) centre of mass at the middle
    final: torch.Tensor  # (28, 28) in [0, 1], brightest pixel 1, as the model's input


def extract_ink(gray: np.ndarray) -> tuple[np.ndarray, bool, np.ndarray]:
    """Ink as bright on black with the paper removed, whether it was inverted, and the ink mask."""
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    inverted = bool(np.median(border) > 0.5)  # light paper: MNIST wants light ink on black
    x = 1 - gray if inverted else gray
    x = x - _background(x)  # paper shading and tint removed: paper ≈ 0 give or take its noise
    threshold = max(_otsu(np.clip(x, 0, 1)), MIN_INK)
    mask = (x > threshold) & (_neighbours(x > threshold) >= 3)  # lone specks of noise are not ink
    if mask.sum() < 4:
        raise NoInkError("I can't find a digit: no ink stands out from the background.")
    paper = x[~mask]
    floor = float(np.median(paper) + 4.5 * np.median(np.abs(paper - np.median(paper))))  # ≈ 3σ of the paper's noise
    level = float(np.percentile(x[mask], 90))  # typical ink, made 1
    return np.clip((x - floor) / max(level - floor, 1e-6), 0, 1), inverted, mask


def centre(scaled: np.ndarray) -> np.ndarray:
    """Place a ≤20×20 image in a 28×28 frame with its centre of mass nearest (14, 14), as MNIST did."""
    h, w = scaled.shape
    rows, cols = np.indices(scaled.shape)
    total = scaled.sum()
    com = (rows * scaled).sum() / total, (cols * scaled).sum() / total
    top = int(np.clip(np.ceil(CENTRE - com[0] - 0.5), 0, FRAME - h))  # round half down: a 20-px block gets 4 + 4
    left = int(np.clip(np.ceil(CENTRE - com[1] - 0.5), 0, FRAME - w))
    frame = np.zeros((FRAME, FRAME), np.float32)
    frame[top : top + h, left : left + w] = scaled
    return frame


def preprocess(gray: np.ndarray) -> Steps:
    """The MNIST recipe on an (H, W) gray image: invert, crop to the ink, scale to 20 px, centre in 28×28."""
    ink, inverted, mask = extract_ink(gray)
    top, bottom, left, right = _ink_box(mask)
    cropped = ink[top:bottom, left:right]  # (h, w)
    scaled = np.clip(shrink(cropped, BOX), 0, 1)  # (≤20, ≤20)
    if scaled.sum() == 0:
        raise NoInkError("I can't find a digit: the ink is too faint.")
    centred = centre(scaled)  # (28, 28)
    final = torch.from_numpy(centred / centred.max()).float()  # (28, 28), brightest pixel 1
    return Steps(gray, inverted, ink, (top, bottom, left, right), cropped, scaled, centred, final)


def render_photo(digit: torch.Tensor, seed: int = 0, size: tuple[int, int] = (1200, 1600)) -> np.ndarray:
    """A (28, 28) MNIST digit as a phone photo: dark ink, off-centre, on shaded, noisy grey paper: (H, W, 3) uint8."""
    rng = np.random.default_rng(seed)
    w, h = size
    side = int(min(w, h) * rng.uniform(0.35, 0.6))
    big = np.asarray(Image.fromarray(digit.numpy().astype(np.float32), "F").resize((side, side), Image.Resampling.BICUBIC))
    top, left = int(rng.integers(0, h - side)), int(rng.integers(0, w - side))
    rows, cols = np.ogrid[:h, :w]
    angle = rng.uniform(0, 2 * np.pi)
    shade = (np.cos(angle) * cols + np.sin(angle) * rows).astype(np.float32) / max(h, w)
    paper = 0.72 + 0.12 * shade  # (H, W) a shading gradient across the sheet
    ink = np.zeros((h, w), np.float32)
    ink[top : top + side, left : left + side] = np.clip(big, 0, 1)
    gray = paper * (1 - 0.8 * ink) + rng.normal(0, 0.02, (h, w)).astype(np.float32)  # (H, W)
    tint = np.array([1.0, 0.97, 0.9])  # warm paper, blue-black ink
    return (np.clip(gray[..., None] * tint, 0, 1) * 255).round().astype(np.uint8)  # (H, W, 3)
