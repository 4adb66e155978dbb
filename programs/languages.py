"""Which language a URL, a visitor and a person read, and the same page in another one.

English is the default and its URLs carry no prefix; every other language lives under
``/<code>/`` (``i18n_patterns(prefix_default_language=False)`` in the URLconf). Pages,
e-mails, feeds and redirects all ask here, so the rule has one home.
"""

from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def supported(code):
    """``code`` if it is one of the site's languages, else the default language."""
    codes = {code for code, _name in settings.LANGUAGES}
    return code if code in codes else settings.LANGUAGE_CODE


def path_language(path):
    """The language a site path is in: its prefix, or the default language."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def strip_language(path):
    """The path without its language prefix (``/es/portal/`` -> ``/portal/``)."""
    code = translation.get_language_from_path(path)
    if code and code != settings.LANGUAGE_CODE:
        return path[len(code) + 1 :] or "/"
    return path


def language_url(url, code):
    """The same page in language ``code`` (path, query and fragment kept); ``url``
    unchanged when the page has no version in that language (admin, sitemap, 404s)."""
    with translation.override(path_language(urlsplit(url).path)):
        return translate_url(url, code)


def has_version_in(path, code):
    """Whether ``path`` (a page in another language) exists in language ``code``."""
    return path_language(path) != code and path_language(language_url(path, code)) == code


def other_languages(code):
    return [(other, name) for other, name in settings.LANGUAGES if other != code]


def accept_language(header):
    """The site language a browser's Accept-Language header prefers most, or None
    (no header, nothing supported, or ``*`` first)."""
    for code, quality in parse_accept_lang_header(header or ""):
        if quality <= 0:  # q=0: "not acceptable"
            continue
        if code == "*":
            return None
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def user_language(user):
    """The language a person reads their e-mails and feeds in (default for no one)."""
    return supported(getattr(user, "language", None) or settings.LANGUAGE_CODE)


@contextmanager
def language_of(user):
    """Render in ``user``'s language (their e-mail, their calendar), then switch back."""
    with translation.override(user_language(user)):
        yield
