"""Spanish for the demo content: every ``es*.json`` in the data folder maps an English text,
exactly as ``careers.json`` and ``programs.json`` write it, to its Spanish.

After the careers and programs loaders have written the English columns, ``load`` fills the
Spanish column of every translated field of those apps (the fields registered in each
app's ``translation.py``) from that map. A text the map does not hold gets an empty
Spanish column, so the page shows the English (never a stale Spanish). Idempotent.

A text is found whole; else line by line (lists the loaders join one item per line);
else through a key holding ``{placeholders}`` (texts the loaders format, such as the
outcome note's years).
"""

import json
import re
from pathlib import Path

from modeltranslation.translator import translator

from trainingcenter.demo import DATA_DIR
from trainingcenter.pagecache import bump_content_version

SPANISH = "es"
ENGLISH = "en"
# The apps whose translated fields the demo content fills (student records are not demo
# content: their steps copy the templates' Spanish when a path is created).
CONTENT_APPS = ("careers", "programs")
PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")


def read_spanish(data_dir=None):
    """{English: Spanish} merged from every ``es*.json``: ``es.json`` first, then the others
    in name order (``es-corrections.json``...), a later file winning for the same text."""
    spanish = {}
    paths = Path(data_dir or DATA_DIR).glob("es*.json")
    for path in sorted(paths, key=lambda path: (path.name != "es.json", path.name)):
        with path.open(encoding="utf-8") as file:
            spanish.update(json.load(file))
    return spanish


class Translator:
    def __init__(self, spanish):
        self.spanish = spanish
        self.patterns = [
            (re.compile("^" + PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(key)) + "$", re.S), value)
            for key, value in spanish.items()
            if "{" in key
        ]

    def __call__(self, text):
        """The Spanish of ``text``, or None when the map does not hold it."""
        if not text:
            return text
        if text in self.spanish:
            return self.spanish[text]
        lines = text.split("\n")
        if len(lines) > 1:
            translated = [self(line) if line.strip() else line for line in lines]
            return None if None in translated else "\n".join(translated)
        for pattern, value in self.patterns:
            match = pattern.match(text)
            if match:
                return value.format(**match.groupdict())
        return None


def translated_fields():
    """[(model, [field names])] for the content apps' translated models."""
    return [
        (model, list(translator.get_options_for_model(model).fields))
        for model in translator.get_registered_models(abstract=False)
        if model._meta.app_label in CONTENT_APPS
    ]


def missing_spanish(data_dir=None):
    """[(model label, pk, field, English)] for every English text without Spanish."""
    missing = []
    for model, fields in translated_fields():
        for obj in model._default_manager.all():
            for field in fields:
                english = getattr(obj, f"{field}_{ENGLISH}")
                if english and not getattr(obj, f"{field}_{SPANISH}"):
                    missing.append((model._meta.label, obj.pk, field, english))
    return missing


def fill_spanish(spanish):
    """Write each translated field's Spanish column from ``spanish``; returns
    (texts written, texts without Spanish)."""
    to_spanish = Translator(spanish)
    written = untranslated = 0
    for model, fields in translated_fields():
        changed = []
        for obj in model._default_manager.all():
            dirty = False
            for field in fields:
                english = getattr(obj, f"{field}_{ENGLISH}") or ""
                value = to_spanish(english)
                if english and value is None:
                    untranslated += 1
                value = value or ""
                if getattr(obj, f"{field}_{SPANISH}") != value:
                    setattr(obj, f"{field}_{SPANISH}", value)
                    dirty = True
                    written += 1
            if dirty:
                changed.append(obj)
        if changed:
            model._default_manager.bulk_update(changed, [f"{f}_{SPANISH}" for f in fields])
    return written, untranslated


def load(*, stdout, style, data_dir=None, **kwargs):
    written, untranslated = fill_spanish(read_spanish(data_dir))
    if written:
        # bulk_update sends no save signal: cached pages must not keep the old Spanish.
        bump_content_version()
    message = f"Spanish: {written} texts written."
    if untranslated:
        stdout.write(style.WARNING(f"{message} {untranslated} texts have no Spanish yet."))
    else:
        stdout.write(style.SUCCESS(message))
