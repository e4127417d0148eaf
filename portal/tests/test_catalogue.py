"""The English catalogue is complete: every message is translated, none is fuzzy, and every
string marked for translation in the code and the templates is in it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path("locale/en/LC_MESSAGES/django.po")
# What `makemessages` reads for the "django" domain; the rest of the tree does not matter.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}


def _incomplete(po_file: Path) -> list[str]:
    """Each message without an English text (or with a fuzzy one), with where it is used."""
    with po_file.open("rb") as handle:
        catalogue = read_po(handle)
    problems = []
    for message in catalogue:
        if not message.id:  # the header
            continue
        strings = message.string if message.pluralizable else (message.string,)
        if message.fuzzy or not all(strings):
            where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
            state = "fuzzy" if message.fuzzy else "untranslated"
            msgid = message.id[0] if message.pluralizable else message.id
            problems.append(f"{state}: {msgid!r} ({where})")
    return problems


def _copy_sources(source: Path, target: Path) -> None:
    """The files makemessages reads, and the catalogue it merges into. Hidden directories
    (the virtualenv, .git) are skipped as makemessages skips them."""
    for root, dirs, files in os.walk(source):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            path = Path(root, name)
            relative = path.relative_to(source)
            if path.suffix in SOURCE_SUFFIXES or relative == CATALOGUE:
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)


def test_every_message_of_the_catalogue_has_an_english_text_and_none_is_fuzzy():
    problems = _incomplete(Path(settings.BASE_DIR) / CATALOGUE)

    assert problems == [], "\n".join(problems)


def test_no_english_text_uses_a_placeholder_its_message_does_not_have():
    # "%(nama)s" for "%(name)s" would raise KeyError when the page is rendered in English.
    with (Path(settings.BASE_DIR) / CATALOGUE).open("rb") as handle:
        catalogue = read_po(handle)

    problems = [
        f"{message.id!r}: {error}"
        for message, errors in catalogue.check()
        for error in errors
    ]

    assert problems == [], "\n".join(problems)


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="makemessages needs GNU gettext (apt-get install gettext; .ci/run installs it)",
)
def test_every_string_marked_for_translation_is_in_the_catalogue(tmp_path):
    # makemessages writes into the catalogue, so it runs on a copy of the tree: a string
    # missing from the committed catalogue arrives there untranslated (or fuzzy, when
    # msgmerge guesses from a similar one).
    _copy_sources(Path(settings.BASE_DIR), tmp_path)

    subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "en",
            "--verbosity",
            "0",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )

    problems = _incomplete(tmp_path / CATALOGUE)
    assert problems == [], (
        "Run `.venv/bin/python manage.py makemessages -l en` and translate:\n"
        + "\n".join(problems)
    )
