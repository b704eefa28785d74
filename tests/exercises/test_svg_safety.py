"""Fixture pictures that could run code or load from elsewhere are refused, by file name."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from exercises.models import Exercise
from tests.exercises.test_fixtures import fields as library_fields

pytestmark = pytest.mark.django_db

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 4 3"{attrs}><title>x</title>{body}</svg>'
SAFE = SVG.format(
    attrs="",
    body='<defs><marker id="m"/><linearGradient id="g"/></defs>'
    '<path d="M0 0L4 3" marker-end="url(#m)" style="fill: url(\'#g\')"/><use href="#m"/>',
)
UNSAFE = [
    ("", "<script>alert(1)</script>", "carries a script (<script>)"),
    (' onload="alert(1)"', "", "has an event handler (onload=…)"),
    ("", '<rect width="4" height="3" onclick="steal()"/>', "event handler (onclick=…)"),
    ("", '<image href="https://evil.test/x.png"/>', "refers to something outside the picture"),
    ("", '<use xlink:href="//evil.test/s.svg#a"/>', "refers to something outside the picture"),
    ("", '<a href="javascript:alert(1)"><text>hi</text></a>', "refers to something outside"),
    (
        "",
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">Sign in</div></foreignObject>',
        "carries HTML inside the picture (<foreignObject>)",
    ),
    ("", "<style>@import 'https://evil.test/a.css';</style>", "loads a style from outside"),
    ("", "<style>rect { fill: url(https://evil.test/p) }</style>", "loads a style from outside"),
    ("", '<rect style="fill:url(//evil.test/p)"/>', "loads something from outside the picture"),
    ("", '<rect fill="url(https://evil.test/p#g)"/>', "loads something from outside the picture"),
    (
        "",
        '<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a>',
        "animates a link or event handler",
    ),
]


def write_fixture(tmp_path, picture):
    (tmp_path / "exercises").mkdir(exist_ok=True)
    (tmp_path / "exercises" / "nordic-curl.svg").write_text(picture)
    fields = library_fields()  # English and Spanish, as the library needs
    path = tmp_path / "library.json"
    path.write_text(json.dumps([{"model": "exercises.exercise", "fields": fields}]))
    return str(path)


def test_a_clean_picture_with_inner_references_loads(tmp_path):
    call_command("loaddata", write_fixture(tmp_path, SAFE), verbosity=0)
    assert default_storage.exists("exercises/nordic-curl.svg")


@pytest.mark.parametrize(("attrs", "body", "message"), UNSAFE)
def test_loaddata_refuses_an_unsafe_picture_and_names_it(tmp_path, attrs, body, message):
    path = write_fixture(tmp_path, SVG.format(attrs=attrs, body=body))
    with pytest.raises(CommandError) as error:
        call_command("loaddata", path, verbosity=0)
    text = str(error.value)
    assert "library.json: object 1 (nordic-curl), field “image”" in text
    assert "the picture “exercises/nordic-curl.svg”" in text
    assert message in text
    assert Exercise.objects.count() == 0
    assert not default_storage.exists("exercises/nordic-curl.svg")


@pytest.mark.parametrize(
    ("picture", "message"),
    [
        (
            '<!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "DOCTYPE",
        ),
        ('<?xml-stylesheet href="https://evil.test/a.css"?>' + SAFE, "outside style sheet"),
        ("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not a well-formed SVG"),
        ("<html><script>alert(1)</script></html>", "not an SVG picture"),
    ],
)
def test_loaddata_refuses_pictures_that_are_not_plain_svg(tmp_path, picture, message):
    with pytest.raises(CommandError, match=message):
        call_command("loaddata", write_fixture(tmp_path, picture), verbosity=0)
    assert Exercise.objects.count() == 0


def test_check_fixture_names_the_unsafe_picture(tmp_path, capsys):
    path = write_fixture(tmp_path, SVG.format(attrs="", body="<script>alert(1)</script>"))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_fixture", path)
    out = capsys.readouterr().out
    assert "the picture “exercises/nordic-curl.svg” carries a script (<script>)" in out


def test_an_unsafe_picture_already_in_media_is_refused_too(tmp_path):
    path = write_fixture(tmp_path, SAFE)
    (tmp_path / "exercises" / "nordic-curl.svg").unlink()
    default_storage.save(
        "exercises/nordic-curl.svg",
        ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>"),
    )
    with pytest.raises(CommandError, match="event handler"):
        call_command("loaddata", path, verbosity=0)
