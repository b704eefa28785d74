import io
import warnings
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from exercises.models import Exercise, lines
from exercises.translation import LINE_FIELDS

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def web_rendition(upload):
    """Verify an uploaded picture and return a clean, web-sized copy with no metadata."""
    if upload.size > settings.EXERCISE_IMAGE_MAX_BYTES:
        raise ValidationError(
            "The picture is %(size)s MB; the limit is %(limit)s MB.",
            code="image_too_big",
            params={
                "size": round(upload.size / 1_048_576, 1),
                "limit": round(settings.EXERCISE_IMAGE_MAX_BYTES / 1_048_576, 1),
            },
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        "Upload a JPEG, PNG, WebP or GIF picture.", code="image_format"
                    )
                if probe.width * probe.height > settings.EXERCISE_IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        "The picture is %(w)d × %(h)d pixels; keep it under %(mp)d megapixels.",
                        code="image_too_many_pixels",
                        params={
                            "w": probe.width,
                            "h": probe.height,
                            "mp": settings.EXERCISE_IMAGE_MAX_PIXELS // 1_000_000,
                        },
                    )
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                has_alpha = image.mode in ("RGBA", "LA", "P") and "transparency" in image.info
                image = image.convert("RGBA" if has_alpha or image.mode == "RGBA" else "RGB")
                size = settings.EXERCISE_IMAGE_WEB_SIZE
                image.thumbnail((size, size), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # Re-encoding from pixels alone drops EXIF, GPS and any other metadata.
                image.save(out, format="WEBP", quality=85, method=4)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            "The picture is too large to open safely.", code="image_bomb"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "This file is not a picture we can read. Upload a JPEG, PNG, WebP or GIF.",
            code="image_invalid",
        ) from error
    name = Path(upload.name).stem[:60] or "picture"
    return SimpleUploadedFile(f"{name}.webp", out.getvalue(), content_type="image/webp")


class ExerciseAdminForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = "__all__"

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # Only a fresh upload carries content_type; an unchanged picture is left alone.
        if image and hasattr(image, "content_type"):
            return web_rendition(image)
        return image

    def clean(self):
        cleaned = super().clean()
        # The admin edits each language's column (image_alt_en, image_alt_es, ...).
        if cleaned.get("image") and not cleaned.get("image_alt_en"):
            self.add_error("image_alt_en", "Describe the picture for people who can't see it.")
        for name in LINE_FIELDS:
            english, spanish = cleaned.get(f"{name}_en") or "", cleaned.get(f"{name}_es") or ""
            want, have = len(lines(english)), len(lines(spanish))
            if spanish.strip() and want != have:
                self.add_error(
                    f"{name}_es",
                    f"The Spanish has {have} line(s) and the English {want}: put each line's "
                    "translation on its own line, so no step or stop rule is left out.",
                )
        return cleaned
