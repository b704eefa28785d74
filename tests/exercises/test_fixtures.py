import json

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from exercises.models import Exercise

pytestmark = pytest.mark.django_db

SHIPPED = settings.BASE_DIR / "fixtures" / "hamstring_exercises.json"
PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><title>x</title></svg>'


def fields(**overrides):
    data = {
        "slug": "nordic-curl",
        "name_en": "Nordic curl",
        "name_es": "Curl nórdico",
        "kind": "eccentric",
        "summary_en": "Lower your body slowly.",
        "summary_es": "Baja el cuerpo despacio.",
        "instructions_en": "Kneel.\nLean forward slowly.",
        "instructions_es": "Ponte de rodillas.\nInclínate hacia delante despacio.",
        "stop_if_en": "Sharp pain.",
        "stop_if_es": "Dolor punzante.",
        "position": "kneeling",
        "default_sets": 2,
        "default_reps": "5",
        "image": "exercises/nordic-curl.svg",
        "image_alt_en": "A person kneeling.",
        "image_alt_es": "Una persona de rodillas.",
    }
    data.update(overrides)
    return data


def write_fixture(tmp_path, objects, name="library.json"):
    (tmp_path / "exercises").mkdir(exist_ok=True)
    (tmp_path / "exercises" / "nordic-curl.svg").write_text(PICTURE)
    path = tmp_path / name
    rows = [{"model": "exercises.exercise", "fields": obj} for obj in objects]
    path.write_text(json.dumps(rows))
    return str(path)


def test_shipped_library_loads_with_every_kind_and_picture():
    call_command("loaddata", "hamstring_exercises", verbosity=0)
    kinds = {kind: Exercise.objects.filter(kind=kind).count() for kind in Exercise.Kind}
    assert Exercise.objects.count() >= 14
    assert kinds[Exercise.Kind.NERVE_GLIDE] >= 3
    assert all(count > 0 for count in kinds.values())
    slugs = list(Exercise.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    for exercise in Exercise.objects.all():
        assert exercise.image and exercise.image_alt, exercise.slug
        assert default_storage.exists(exercise.image.name), exercise.slug
        assert len(exercise.instruction_steps) >= 3, exercise.slug
        assert exercise.stop_list, exercise.slug
        exercise.full_clean()


def test_shipped_library_names_the_clinic_moves():
    call_command("loaddata", "hamstring_exercises", verbosity=0)
    for slug in [
        "nordic-hamstring-curl",
        "quick-curl-slow-straighten",
        "eccentric-bridge-walkout",
        "bridge-heel-slide",
        "single-leg-rdl",
        "walking-death-march",
        "slow-lowering-deadlift",
        "standing-hamstring-curl",
        "askling-extender",
        "askling-diver",
        "askling-glider",
        "seated-slump-slider",
        "lying-sciatic-floss",
        "standing-sciatic-floss",
    ]:
        assert Exercise.objects.filter(slug=slug).exists(), slug


def test_loading_twice_gives_the_same_rows():
    call_command("loaddata", "hamstring_exercises", verbosity=0)
    first = dict(Exercise.objects.values_list("slug", "pk"))
    call_command("loaddata", "hamstring_exercises", verbosity=0)
    assert dict(Exercise.objects.values_list("slug", "pk")) == first


def test_loading_again_updates_edited_fields(tmp_path):
    call_command("loaddata", write_fixture(tmp_path, [fields()]), verbosity=0)
    pk = Exercise.objects.get().pk
    call_command("loaddata", write_fixture(tmp_path, [fields(name_en="Nordic lower")]), verbosity=0)
    exercise = Exercise.objects.get()
    assert (exercise.pk, exercise.name) == (pk, "Nordic lower")


def test_it_copies_fixture_pictures_into_media(tmp_path):
    call_command("loaddata", write_fixture(tmp_path, [fields()]), verbosity=0)
    assert default_storage.exists("exercises/nordic-curl.svg")
    assert Exercise.objects.get().image.url == "/media/exercises/nordic-curl.svg"


BROKEN = [
    (
        [fields(kind="stretch")],
        "object 1 (nordic-curl), field “kind”: Value 'stretch' is not a valid",
    ),
    ([fields(default_sets=-1)], "field “default_sets”"),
    (
        [fields(default_sets=0)],
        "field “default_sets”: Ensure this value is greater than or equal to 1",
    ),
    ([fields(name_en="")], "(nordic-curl), field “name_en”: This field cannot be blank."),
    (
        [{k: v for k, v in fields().items() if k != "name_en"}],
        "(nordic-curl), field “name_en”: This field cannot be blank.",
    ),
    ([fields(name_en="x" * 101)], "field “name_en”: Ensure this value has at most 100"),
    ([fields(image_alt_es="x" * 201)], "field “image_alt_es”: Ensure this value has at most 200"),
    (
        [fields(), fields(slug="other"), fields()],
        "object 3 (nordic-curl), field “slug”: duplicate of object 1",
    ),
    (
        [fields(image="exercises/missing.svg")],
        "field “image”: the file “exercises/missing.svg” was not found",
    ),
    ([fields(default_reps="12,10,8")], "field “default_reps”: The scheme lists 3 sets"),
]


@pytest.mark.parametrize(("objects", "message"), BROKEN)
def test_broken_fixture_names_object_and_field_and_writes_nothing(tmp_path, objects, message):
    good = fields(slug="good-one", name="Good one")
    path = write_fixture(tmp_path, [good, *objects])
    with pytest.raises(CommandError) as error:
        call_command("loaddata", path, verbosity=0)
    assert message.replace("object 1", "object 2").replace("object 3", "object 4") in str(
        error.value
    )
    assert str(error.value).startswith("Nothing was loaded")
    assert Exercise.objects.count() == 0


def test_malformed_json_is_refused_and_writes_nothing(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"model": "exercises.exercise", "fields": {"slug": "x",}]')
    with pytest.raises(Exception, match=r"broken\.json"):
        call_command("loaddata", str(path), verbosity=0)
    assert Exercise.objects.count() == 0


def test_check_fixture_passes_the_shipped_library(capsys):
    call_command("check_fixture", str(SHIPPED))
    assert "OK:" in capsys.readouterr().out
    assert Exercise.objects.count() == 0
    assert not default_storage.exists("exercises")


def test_check_fixture_lists_every_problem_and_writes_nothing(tmp_path, capsys):
    path = write_fixture(
        tmp_path,
        [fields(kind="stretch"), fields(slug="b", name_en="", default_sets=0), fields(slug="c")],
    )
    malformed = tmp_path / "malformed.json"
    malformed.write_text("[{")
    with pytest.raises(CommandError, match="5 problem"):
        call_command("check_fixture", path, str(malformed), str(tmp_path / "absent.json"))
    out = capsys.readouterr().out
    assert "library.json: object 1 (nordic-curl), field “kind”" in out
    assert "library.json: object 2 (b), field “name_en”: This field cannot be blank." in out
    assert "library.json: object 2 (b), field “default_sets”" in out
    assert "malformed.json:" in out
    assert "absent.json: no such file" in out
    assert Exercise.objects.count() == 0


def test_check_fixture_fails_with_exit_status_1(tmp_path):
    path = write_fixture(tmp_path, [fields(kind="stretch")])
    with pytest.raises(CommandError) as error:
        call_command("check_fixture", path)
    assert error.value.returncode == 1
