"""Untrusted content: markdown is rendered to an allow-list of HTML, pictures are checked by
their content and re-encoded without metadata, text alternatives carry no code."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import html as lxml_html
from PIL import Image

from .. import services
from ..images import MAX_PIXELS, clean_image
from ..rendering import render_markdown
from .factories import author_of, image_bytes, story_factory

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](data:image/png;base64,iVBORw0KGgo=)",
    "![pic](javascript:alert(1))",
    '![javascript:alert(1)](https://example.org/a.png "data:text/html,x")',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick="x()">hi</p>',
]


def _attributes(html: str) -> list[tuple[str, str, str]]:
    tree = lxml_html.fragment_fromstring(html or "<p></p>", create_parent="div")
    return [(el.tag, name, value) for el in tree.iter() for name, value in el.attrib.items()]


@pytest.mark.parametrize("attack", ATTACKS)
def test_markdown_keeps_no_script_handler_or_dangerous_url(attack):
    out = render_markdown(f"Intro\n\n{attack}\n\nEnd")
    tree = lxml_html.fragment_fromstring(out, create_parent="div")
    assert not tree.xpath("//script|//iframe|//svg|//style")
    for tag, name, value in _attributes(out):
        assert not name.startswith("on"), (tag, name)
        assert name != "style"
        lowered = value.replace(" ", "").lower()
        assert "javascript:" not in lowered and "data:" not in lowered, (tag, name, value)


def test_markdown_keeps_ordinary_formatting_and_safe_links():
    out = render_markdown(
        "# Results\n\n**Two** *farmers* [site](https://example.org) ![a map](/media/stories/x.png)"
    )
    assert "<h2>Results</h2>" in out  # the page's h1 is the title
    assert "<strong>Two</strong>" in out and "<em>farmers</em>" in out
    assert 'href="https://example.org"' in out and 'rel="nofollow noopener noreferrer ugc"' in out
    assert '<img src="/media/stories/x.png" alt="a map">' in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "alt",
    ["javascript:alert(1)", "data:image/png;base64,AAAA", "<script>alert(1)</script>", "   "],
)
def test_alt_text_with_code_or_empty_is_refused(alt):
    story = story_factory()
    with pytest.raises(ValidationError) as exc:
        services.story_image_add(
            user=author_of(story.organisation),
            story=story,
            upload=SimpleUploadedFile("a.png", image_bytes()),
            alt_text=alt,
        )
    assert "alt_text" in exc.value.message_dict
    assert not story.images.exists()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_renamed_executable_is_refused_with_a_clear_message():
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    with pytest.raises(ValidationError) as exc:
        clean_image(_upload("holiday.jpg", executable))
    assert exc.value.messages == ["This file is not a JPEG, PNG or WebP picture."]
    elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
    with pytest.raises(ValidationError):
        clean_image(_upload("photo.png", elf))


def test_fifty_megapixel_image_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(out, "PNG")  # 50 megapixels, a few kilobytes
    assert MAX_PIXELS < 10_000 * 5_000
    with pytest.raises(ValidationError) as exc:
        clean_image(_upload("big.png", out.getvalue()))
    assert "too large" in exc.value.messages[0] and "30 megapixels" in exc.value.messages[0]


def test_decompression_bomb_header_is_refused():
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")  # 400 megapixels: Pillow's own guard
    with pytest.raises(ValidationError) as exc:
        clean_image(_upload("bomb.png", out.getvalue()))
    assert "too large" in exc.value.messages[0]


def test_corrupt_image_is_refused_with_a_clear_message():
    data = image_bytes("PNG", size=(400, 300))
    with pytest.raises(ValidationError) as exc:
        clean_image(_upload("broken.png", data[: len(data) // 2]))
    assert exc.value.messages == [
        "The picture is damaged and cannot be read. Please export it again."
    ]


def test_too_big_and_empty_files_are_refused(settings):
    settings.STORY_IMAGE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        clean_image(_upload("a.png", image_bytes("PNG", size=(600, 600)) + b"\x00" * 2048))
    assert "too big" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        clean_image(_upload("a.png", b""))


def test_reencoding_strips_exif_and_gps():
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0)}  # GPS
    data = image_bytes("JPEG", size=(320, 200), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()
    clean = clean_image(_upload("photo.jpeg", data))
    stored = Image.open(io.BytesIO(clean.content.read()))
    assert stored.format == "JPEG" and (clean.width, clean.height) == (320, 200)
    assert not stored.getexif() and "exif" not in stored.info


def test_real_type_decides_not_the_name():
    clean = clean_image(_upload("picture.jpg", image_bytes("PNG")))
    assert clean.format == "PNG" and clean.content.name.endswith(".png")


@pytest.mark.django_db
def test_upload_through_the_page_stores_and_shows_the_picture_with_its_alt(client):
    story = story_factory()
    client.force_login(author_of(story.organisation))
    url = reverse("stories:image_upload", args=[story.pk])
    response = client.post(
        url, {"file": _upload("p.webp", image_bytes("WEBP")), "alt_text": "Farmers at a meeting"}
    )
    assert response.status_code == 302
    image = story.images.get()
    assert image.file.name.startswith("stories/") and image.file.name.endswith(".webp")
    assert (image.width, image.height) == (64, 48)
    page = client.get(reverse("stories:detail", args=[story.pk]))
    assert 'alt="Farmers at a meeting"' in page.content.decode()
    bad = client.post(url, {"file": _upload("x.png", b"MZ" + b"\x00" * 100), "alt_text": "x"})
    assert bad.status_code == 400
    assert "This file is not a JPEG, PNG or WebP picture." in bad.content.decode()
