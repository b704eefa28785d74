import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django.asserts import assertContains

from exercises.models import Exercise

pytestmark = pytest.mark.django_db


def jpeg_with_gps(size=(2400, 1800)):
    image = Image.new("RGB", size, "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def form_data(**overrides):
    """The add form as staff fill it in: each piece of patient text in English (Spanish may wait)."""
    data = {
        "name_en": "Heel dig",
        "slug": "heel-dig",
        "kind": "concentric",
        "position": "lying",
        "summary_en": "Press your heel into the floor.",
        "instructions_en": "Lie down.\nDig your heel in.",
        "stop_if_en": "Sharp pain.",
        "default_sets": "3",
        "default_reps": "",
        "default_hold_seconds": "5",
        "default_rest_seconds": "30",
        "is_active": "on",
        "image_alt_en": "A person lying with one knee bent.",
    }
    data.update(overrides)
    return data


def test_changelist_filters_and_searches(admin_client, exercise):
    response = admin_client.get("/admin/exercises/exercise/?kind__exact=concentric&q=curl")
    assert response.status_code == 200
    assertContains(response, "Standing hamstring curl")
    assertContains(response, "3 × 10")


def test_add_and_change_pages_open(admin_client, exercise):
    assert admin_client.get("/admin/exercises/exercise/add/").status_code == 200
    response = admin_client.get(f"/admin/exercises/exercise/{exercise.pk}/change/")
    assertContains(response, "Standing hamstring curl")


def test_upload_is_stored_web_sized_without_metadata(admin_client):
    response = admin_client.post("/admin/exercises/exercise/add/", form_data(image=jpeg_with_gps()))
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise = Exercise.objects.get(slug="heel-dig")
    assert exercise.image.name.endswith(".webp")
    with exercise.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "WEBP"
        assert max(image.size) == 1200
        assert not image.getexif()
        assert "exif" not in image.info


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.jpg", b"not a picture", "image/jpeg"), "not a picture we can read"),
        (
            SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg"),
            "not a picture we can read",
        ),
    ],
)
def test_upload_rejects_files_that_are_not_pictures(admin_client, upload, message):
    response = admin_client.post("/admin/exercises/exercise/add/", form_data(image=upload))
    assert response.status_code == 200
    assert Exercise.objects.count() == 0
    errors = response.context["adminform"].form.errors["image"]
    assert any(message in e or "Upload a valid image" in e for e in errors), errors


def test_upload_rejects_too_many_pixels(admin_client, settings):
    settings.EXERCISE_IMAGE_MAX_PIXELS = 1_000_000
    response = admin_client.post(
        "/admin/exercises/exercise/add/", form_data(image=jpeg_with_gps((1200, 1000)))
    )
    assertContains(response, "keep it under 1 megapixels")
    assert Exercise.objects.count() == 0


def test_upload_rejects_decompression_bombs(admin_client, settings, monkeypatch):
    settings.EXERCISE_IMAGE_MAX_PIXELS = 10**12
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    response = admin_client.post(
        "/admin/exercises/exercise/add/", form_data(image=jpeg_with_gps((100, 100)))
    )
    # Django's image field opens the file first and refuses the bomb before our rendition step.
    assert response.context["adminform"].form.errors["image"]
    assert Exercise.objects.count() == 0


def test_upload_rejects_big_files(admin_client, settings):
    settings.EXERCISE_IMAGE_MAX_BYTES = 1000
    response = admin_client.post("/admin/exercises/exercise/add/", form_data(image=jpeg_with_gps()))
    assertContains(response, "the limit is 0.0 MB")
    assert Exercise.objects.count() == 0


def test_picture_needs_alt_text(admin_client):
    response = admin_client.post(
        "/admin/exercises/exercise/add/", form_data(image=jpeg_with_gps(), image_alt_en="")
    )
    assertContains(response, "Describe the picture for people who can")
    assert Exercise.objects.count() == 0


def test_admin_is_staff_only(client, django_user_model, exercise):
    django_user_model.objects.create_user("pat", password="pw-long-enough-1")
    client.login(username="pat", password="pw-long-enough-1")
    response = client.get("/admin/exercises/exercise/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
