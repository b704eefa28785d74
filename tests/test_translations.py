"""The translation catalogs: complete, compiled from what is committed, and up to date.

locale/es/LC_MESSAGES/django.po is the source; django.mo is committed with it, so a fresh
machine needs no gettext tools. docs/translations.md says how to update both.
"""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALES = sorted(p.parent for p in (ROOT / "locale").glob("*/LC_MESSAGES/django.po"))
# What `makemessages` leaves out (docs/translations.md): the venv, benchmarks and tests.
NOT_SCANNED = [".venv", "benchmarks", "tests", "staticfiles", "media", "node_modules", ".git"]
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def entries(po_path):
    """Each entry of a .po file: its fields (unquoted), and its flags."""
    found = []
    for block in po_path.read_text(encoding="utf-8").split("\n\n"):
        fields, flags, current = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#~"):
                fields["obsolete"] = True
            elif match := FIELD.match(line):
                current = match[1]
                fields[current] = ast.literal_eval(match[2])
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if "msgid" in fields or "obsolete" in fields:
            found.append((fields, flags))
    return found


def msgids(po_path):
    return {
        (fields.get("msgctxt"), fields["msgid"])
        for fields, _ in entries(po_path)
        if fields.get("msgid") and "obsolete" not in fields
    }


def test_there_is_a_spanish_catalog():
    assert ROOT / "locale" / "es" / "LC_MESSAGES" in LOCALES


@pytest.mark.parametrize("locale", LOCALES, ids=lambda p: p.parent.name)
def test_every_msgid_is_translated_and_nothing_is_fuzzy(locale):
    problems = []
    for fields, flags in entries(locale / "django.po"):
        name = fields.get("msgid", "(obsolete)")
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {name!r}")
        if "obsolete" in fields:
            problems.append(f"obsolete entry left in: {name!r}")
        if not name:
            continue  # the header
        strings = [value for key, value in fields.items() if key.startswith("msgstr")]
        if not strings or not all(strings):
            problems.append(f"untranslated: {name!r}")
    assert problems == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="msgfmt (GNU gettext) is not installed")
@pytest.mark.parametrize("locale", LOCALES, ids=lambda p: p.parent.name)
def test_the_committed_mo_is_the_po_compiled(locale, tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", fresh, locale / "django.po"],
        check=True,
        capture_output=True,
    )
    committed = locale / "django.mo"
    assert committed.exists(), "run `manage.py compilemessages` and commit the .mo"
    with fresh.open("rb") as new, committed.open("rb") as old:
        assert gettext.GNUTranslations(old)._catalog == gettext.GNUTranslations(new)._catalog, (
            "django.mo is older than django.po: run `manage.py compilemessages`"
        )


@pytest.mark.skipif(not shutil.which("xgettext"), reason="xgettext (GNU gettext) is not installed")
def test_makemessages_would_find_nothing_new(tmp_path):
    """Every string marked for translation is in the catalog (none added since the last run)."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SCANNED, "*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete"]
        + [f"--ignore={name}" for name in NOT_SCANNED],
        cwd=copy,
        env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
        capture_output=True,
        timeout=60,
    )
    po = Path("locale") / "es" / "LC_MESSAGES" / "django.po"
    new = msgids(copy / po) - msgids(ROOT / po)
    gone = msgids(ROOT / po) - msgids(copy / po)
    assert (sorted(new), sorted(gone)) == ([], []), "run makemessages (docs/translations.md)"
