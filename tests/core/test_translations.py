"""Every string a visitor, student or applicant reads is translated.

1. No template under templates/ (except the staff admin's) writes visible English outside
   `{% translate %}` / `{% blocktranslate %}`: text between tags, and the attributes people
   read (alt, title, placeholder, aria-label). `pytest tests/core/test_translations.py -k
   <template path>` lists what is left in one template.
2. The Spanish catalog is complete: `makemessages` run now, into a scratch folder, finds no
   string that locale/es/LC_MESSAGES/django.po does not translate (`make messages` updates it).
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CATALOG = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Where makemessages looks for strings (code and templates; tests and tools are not read).
SOURCE_FOLDERS = ("accounts", "careers", "programs", "trainingcenter", "templates")

# Staff work in the admin in English (issue: public pages, portal, apply, allauth, e-mails).
STAFF_ONLY = ("admin/",)
# Text that reads the same in both languages.
NEUTRAL = {
    "CMA",
    "RMA",
    "CCMA",
    "CMAA",
    "MAAC",
    "CPT",
    "CET",
    "CMAS",
    "BLS",
    "CPR",
    "GED",
    "PDF",
    "JPEG",
    "PNG",
    "iCal",
    "Google Calendar",
    "Outlook",
    "Español",
    "English",
    "Trinity Career Institute",
    "TCI",
}
READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "aria-description")
_OPENERS = {"blocktranslate", "blocktrans", "comment", "verbatim"}
_CLOSERS = {"endblocktranslate", "endblocktrans", "endcomment", "endverbatim"}
_SKIPPED_ELEMENTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTRIBUTE = re.compile(
    r"\b(" + "|".join(READ_ATTRIBUTES) + r")\s*=\s*(\"([^\"]*)\"|'([^']*)')", re.I | re.S
)
_ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")
_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\u2019-]*")


def _templates():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in {".html", ".txt"}:
            rel = path.relative_to(TEMPLATES).as_posix()
            if not rel.startswith(STAFF_ONLY):
                yield rel


def _visible(text):
    """Words left once neutral names are removed: anything left needs translating."""
    text = _ENTITY.sub(" ", text)
    for name in sorted(NEUTRAL, key=len, reverse=True):
        text = text.replace(name, " ")
    return " ".join(_WORD.findall(text))


def untranslated(source):
    """The visible English of a template source, outside translation tags."""
    found = []
    depth = 0
    # Text tokens are joined, so a tag split by a variable ({{ }}) is read whole.
    chunks = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in _OPENERS:
                depth += 1
            elif name in _CLOSERS:
                depth = max(0, depth - 1)
            chunks.append(" ")
        elif token.token_type == TokenType.TEXT and depth == 0:
            chunks.append(token.contents)
        elif token.token_type == TokenType.VAR:
            chunks.append("\x00")
        else:
            chunks.append(" ")
    text = "".join(chunks)
    text = _HTML_COMMENT.sub(" ", _SKIPPED_ELEMENTS.sub(" ", text))
    for match in _ATTRIBUTE.finditer(text):
        value = (match.group(3) or match.group(4) or "").replace("\x00", " ")
        if words := _visible(value):
            found.append(f'{match.group(1)}="{words}"')
    for piece in _TAG.sub("\x00", text).split("\x00"):
        if words := _visible(piece):
            found.append(words)
    return found


@pytest.mark.parametrize("template", list(_templates()))
def test_template_has_no_untranslated_text(template):
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    assert untranslated(source) == [], f"{template}: wrap in {{% translate %}}"


def test_the_lint_finds_english_and_accepts_translated_text():
    assert untranslated("<p>Apply now</p>") == ["Apply now"]
    assert untranslated('<img alt="Campus photo" src="{{ x }}">') == ['alt="Campus photo"']
    assert untranslated('<a title="{{ t }}">{% translate "Next" %}</a>') == []
    assert untranslated("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}") == []
    assert untranslated("<script>var a = 'text';</script><p>CMA &middot; RMA</p>") == []
    assert untranslated("{% comment %}Notes{% endcomment %}<!-- a note -->") == []


def test_spanish_catalog_translates_every_string(tmp_path, settings, monkeypatch):
    """makemessages now, on a scratch copy of the code, against the committed catalog."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is missing: `make test` installs it (apt-get install gettext)")
    base = Path(settings.BASE_DIR)
    source = tmp_path / "src"
    for folder in SOURCE_FOLDERS:
        shutil.copytree(
            base / folder, source / folder, ignore=shutil.ignore_patterns("locale", "static")
        )
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    settings.LOCALE_PATHS = [source / "locale"]
    call_command("makemessages", locale=["es"], no_location=True, verbosity=0)
    extracted = polib.pofile(str(source / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(CATALOG))
    translated = {(entry.msgctxt, entry.msgid) for entry in committed.translated_entries()}
    missing = sorted(
        entry.msgid for entry in extracted if (entry.msgctxt, entry.msgid) not in translated
    )
    assert missing == [], f"{len(missing)} string(s) without Spanish; run `make messages`"
