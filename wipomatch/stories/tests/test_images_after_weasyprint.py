"""WeasyPrint (the PDF of the insights report) sets Pillow's process-wide
`ImageFile.LOAD_TRUNCATED_IMAGES = True` when it is imported. A damaged picture must still be
refused once a report has been built in the same process (found running the suite in one
process on PostgreSQL: the corrupt-image test passed alone and failed after the report tests)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageFile

from wipomatch.stories.images import clean_image

from .factories import image_bytes


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_damaged_picture_is_refused_even_after_weasyprint_is_loaded(monkeypatch, fmt):
    import weasyprint  # noqa: F401 (its import is what flips the Pillow setting)

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = image_bytes(fmt, size=(400, 300))
    upload = SimpleUploadedFile(f"broken.{fmt.lower()}", data[: len(data) // 2])
    with pytest.raises(ValidationError) as exc:
        clean_image(upload)
    assert exc.value.messages == [
        "The picture is damaged and cannot be read. Please export it again."
    ]
    # The setting WeasyPrint relies on is left as it was.
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
