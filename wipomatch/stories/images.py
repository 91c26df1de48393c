"""Validation and re-encoding of uploaded story images (Pillow).

The real type is read from the content, never from the name or the browser's content type. The
header is checked for size before any pixel is decoded (Pillow's decompression-bomb guard is set
to the same bound), then the image is decoded, turned upright and re-encoded: what is stored is
a fresh JPEG, PNG or WebP file without EXIF, GPS or any other metadata of the upload.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 30_000_000  # a 30-megapixel camera picture passes, a 50-megapixel one does not
STORED_LONG_SIDE = 2400  # what a page needs; larger pictures are scaled down when stored
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Pillow warns from MAX_IMAGE_PIXELS and refuses from twice that; `clean_image` turns the
# warning into a refusal too, so nothing larger than MAX_PIXELS is ever decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def max_bytes() -> int:
    return getattr(settings, "STORY_IMAGE_MAX_BYTES", MAX_BYTES)


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int
    format: str


def _too_large_message() -> str:
    return _(
        "The picture is too large: at most %(megapixels)d megapixels. Please send a smaller "
        "version."
    ) % {"megapixels": MAX_PIXELS // 1_000_000}


def _load_complete(image: Image.Image) -> None:
    """Decode the whole picture, failing on a truncated file. WeasyPrint (the insights report's
    PDF) sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported, which would let a
    damaged upload through as a half-grey picture: it is switched off for this load and put
    back as it was."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def clean_image(upload) -> CleanImage:
    """Check an uploaded file and return it re-encoded; ValidationError with a clear message."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("The file is too big: at most %(mb)d MB.") % {"mb": max_bytes() // (1024 * 1024)},
            code="too_big",
        )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
            if fmt not in FORMATS:
                raise ValidationError(
                    _("This file is not a JPEG, PNG or WebP picture."), code="type"
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(_too_large_message(), code="pixels")
            image = Image.open(io.BytesIO(data))
            _load_complete(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_too_large_message(), code="pixels") from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP picture."), code="type"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("The picture is damaged and cannot be read. Please export it again."),
            code="corrupt",
        ) from None
    return _reencode(image, fmt)


def _reencode(image: Image.Image, fmt: str) -> CleanImage:
    image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag gave
    image.thumbnail((STORED_LONG_SIDE, STORED_LONG_SIDE))
    out = io.BytesIO()
    if fmt == "JPEG":
        image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "WEBP", quality=85)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    # A new file, written from pixels only: no EXIF, GPS, XMP or ICC comments of the upload.
    name = f"image.{FORMATS[fmt]}"
    return CleanImage(
        content=ContentFile(out.getvalue(), name=name),
        width=image.width,
        height=image.height,
        format=fmt,
    )
