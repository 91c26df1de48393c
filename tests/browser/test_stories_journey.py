"""A story from its first draft to the visitor who finds it: a member writes it in Arabic with a
picture, a facilitator publishes it, a visitor finds it on the theme page and on the page of a
related need. axe-core checks every page on the way (right-to-left layout included)."""

import io
import re

import pytest
from PIL import Image

from .helpers import sign_in

pytestmark = pytest.mark.browser

TITLE = "مزارعو البن في جبل إلغون يحمون اسم منطقتهم بمؤشر جغرافي"
SUMMARY = "سجّل اتحاد صغار مزارعي البن مؤشراً جغرافياً لبن جبل إلغون، فارتفع سعر البن المعتمد."
BODY = (
    "## المشكلة\n\nكان بن جبل إلغون يُباع بأسماء عامة ويُخلط ببن أرخص، فلم يستفد المزارعون "
    "من جودته.\n\n## ما قمنا به\n\n- حددنا منطقة الإنتاج مع مجموعات المزارعين\n"
    "- كتبنا دفتر تحملات المؤشر الجغرافي\n- درّبنا مفتشين من المزارعين\n\n"
    "## النتائج\n\nيدفع المشترون اليوم علاوة على البن المعتمد بالمؤشر الجغرافي."
)


@pytest.fixture(autouse=True)
def lexical_embeddings_and_media(fast_search, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(live_reference):
    from wipomatch.listings.tests.factories import NeedFactory
    from wipomatch.members.models import Membership
    from wipomatch.members.tests.factories import (
        FacilitatorFactory,
        MembershipFactory,
        OrganisationFactory,
        country,
    )

    org = OrganisationFactory(name="اتحاد مزارعي البن في جبل إلغون", country=country("UG"))
    need = NeedFactory(
        status="published",
        language="ar",
        title="تسجيل مؤشر جغرافي لبن المزارعين في منطقتنا",
        summary="تبحث تعاونية من مزارعي البن عن خبير لتسجيل مؤشر جغرافي ووضع دفتر تحملات.",
        description="يزرع صغار المزارعين البن في المرتفعات ويريدون حماية اسم منطقتهم بمؤشر "
        "جغرافي وتدريب مفتشين من المزارعين على المراقبة.",
        themes=["food-security-agriculture"],
        ip_areas=["geographical-indications"],
    )
    return {
        "org": org,
        "member": MembershipFactory(
            organisation=org, role=Membership.Role.CONTRIBUTOR, user__preferred_language="ar"
        ).user,
        "facilitator": FacilitatorFactory(email="facilitator@wipo.example.org"),
        "need": need,
    }


def picture(tmp_path):
    path = tmp_path / "coffee.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (1.0, 7.0, 0.0)}  # GPS position: must not survive the upload
    Image.new("RGB", (800, 500), (90, 60, 40)).save(path, "JPEG", exif=exif.tobytes())
    return path


def test_an_arabic_story_goes_from_draft_to_found(
    page, browser, live_server, axe_check, cast, tmp_path
):
    from wipomatch.stories.models import Status, Story

    # A member writes the story in Arabic, in the Arabic interface.
    sign_in(page, live_server, cast["member"])
    page.goto("/ar/stories/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    axe_check(page)
    page.locator("#id_kind_0").check()
    page.locator("#id_language").select_option("ar")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill(SUMMARY)
    page.locator("#id_body").fill(BODY)
    page.locator("input[name=themes][value=food-security-agriculture]").check()
    page.locator("input[name=ip_areas][value=geographical-indications]").check()
    page.locator("#id_countries").select_option(["UG"])
    page.locator("#id_figure_1").fill("4800")
    page.locator("#id_label_1").fill("مزارع في الاتحاد")
    page.locator("form.col-lg-9 button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ar/stories/\d+/$"))
    story = Story.objects.get()
    assert story.language == "ar" and story.status == Status.DRAFT
    axe_check(page)

    # A picture with its text alternative; the page refuses a file that is not a picture.
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 300)
    page.locator("#id_file").set_input_files(str(bad))
    page.locator("#id_alt_text").fill("حبوب بن حمراء على غصن")
    page.locator("#id_file").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .text-danger").count() >= 1
    axe_check(page)
    page.goto(f"/ar/stories/{story.pk}/")
    page.locator("#id_file").set_input_files(str(picture(tmp_path)))
    page.locator("#id_alt_text").fill("حبوب بن حمراء على غصن أمام جبل أخضر")
    page.locator("#id_file").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/ar/stories/{story.pk}/"))
    image = story.images.get()
    assert image.alt_text == "حبوب بن حمراء على غصن أمام جبل أخضر"
    with image.file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif()
    assert page.locator("img[alt='حبوب بن حمراء على غصن أمام جبل أخضر']").count() == 1
    page.locator(f"form[action$='/stories/{story.pk}/submit/'] button").click()
    page.wait_for_url(re.compile(rf"/ar/stories/{story.pk}/"))
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED
    axe_check(page)
    page.goto("/ar/stories/mine/")
    assert page.get_by_role("link", name=TITLE).is_visible()
    axe_check(page)

    # A facilitator publishes it from the review queue.
    staff = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in(staff, live_server, cast["facilitator"])
    staff.goto("/en/stories/review/")
    axe_check(staff)
    staff.get_by_role("link", name=TITLE).click()
    staff.wait_for_url(re.compile(rf"/en/stories/{story.pk}/review/"))
    axe_check(staff)
    staff.locator("input[name=decision][value=publish]").check()
    staff.get_by_role("button", name="Record the decision").click()
    staff.wait_for_url("**/en/stories/review/")
    assert staff.get_by_text("No story is waiting for review.").is_visible()
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    staff.context.close()

    # A visitor finds it on the theme page, on the related need's page, and in the list.
    visitor = browser.new_context(base_url=live_server.url, locale="ar").new_page()
    visitor.goto("/ar/themes/food-security-agriculture/")
    axe_check(visitor)
    feed = visitor.locator("link[rel=alternate][type='application/atom+xml']")
    assert feed.get_attribute("href") == "/ar/stories/feed/themes/food-security-agriculture/"
    visitor.get_by_role("link", name=TITLE).click()
    visitor.wait_for_url(re.compile(rf"/ar/stories/{story.pk}/$"))
    assert visitor.locator("meta[property='og:title']").get_attribute("content") == TITLE
    axe_check(visitor)
    visitor.goto(f"/ar/needs/{cast['need'].pk}/")
    related = visitor.locator("#related-stories-heading")
    related.wait_for()
    assert visitor.get_by_role("link", name=TITLE).is_visible()
    axe_check(visitor)
    visitor.goto("/ar/stories/")
    axe_check(visitor)
    visitor.locator("#story-q").fill("مؤشر جغرافي البن")
    visitor.locator("#story-q").press("Enter")
    visitor.wait_for_url(re.compile(r"q="))
    visitor.get_by_role("link", name=TITLE).wait_for()
    axe_check(visitor)
    visitor.context.close()

    # Once published, its authors can edit it and start a version in another language.
    page.goto(f"/ar/stories/{story.pk}/edit/")
    assert page.locator("#id_title").input_value() == TITLE
    axe_check(page)
    page.goto(f"/ar/stories/{story.pk}/versions/new/?language=fr")
    assert page.locator("#id_language").input_value() == "fr"
    axe_check(page)

    # A member of another organisation sees the form to contact the team behind the story.
    from wipomatch.members.tests.factories import MembershipFactory

    reader = browser.new_context(base_url=live_server.url, locale="ar").new_page()
    sign_in(reader, live_server, MembershipFactory().user)
    reader.goto(f"/ar/stories/{story.pk}/")
    assert reader.locator(f"form[action$='/stories/{story.pk}/contact/']").count() == 1
    axe_check(reader)
    reader.context.close()
