"""Checks on uploaded pictures, run before anything is stored.

The form field already refuses a file Pillow cannot open ("Upload a valid image"); these add
limits on what a real image may cost: bytes to store, pixels to decode and resize.
"""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from pictures.validators import MaxSizeValidator, MinSizeValidator

MAX_PICTURE_BYTES = 5 * 1024 * 1024
# Large enough for any product photo, small enough that making its renditions stays quick and
# that a "decompression bomb" (a tiny file that unpacks to gigapixels) is refused by its header.
MAX_PICTURE_SIDE = 4000
# Below this a card's picture would be blown up and blurred.
MIN_PICTURE_SIDE = 200
PICTURE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "avif"]


def validate_picture_bytes(file) -> None:
    if file.size > MAX_PICTURE_BYTES:
        raise ValidationError(
            "This file is %(size)s; a picture can be at most %(limit)s.",
            code="file_too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(MAX_PICTURE_BYTES),
            },
        )


PICTURE_VALIDATORS = [
    FileExtensionValidator(
        PICTURE_EXTENSIONS,
        message="“%(extension)s” files are not accepted; upload a %(allowed_extensions)s picture.",
    ),
    validate_picture_bytes,
    MaxSizeValidator(MAX_PICTURE_SIDE, MAX_PICTURE_SIDE),
    MinSizeValidator(MIN_PICTURE_SIDE, MIN_PICTURE_SIDE),
]
