"""The demo content: data files in ``data/`` and the code that loads them.

The content (campuses, programs, certifications, roles, guides...) lives in
``data/*.json`` (format: ``data/README.md``); the modules beside this one only upsert rows
from it. The ``load_demo`` command runs them. Apps never import this package: the demo is
not part of the product, only something loaded into it.
"""

import json
from datetime import date
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_data(name, data_dir=None):
    """The parsed ``<name>.json`` from ``data_dir`` (the shipped data by default)."""
    path = Path(data_dir or DATA_DIR) / f"{name}.json"
    with path.open(encoding="utf-8") as file:
        return json.load(file)


def parse_date(value):
    """A fixed date written as an ISO string (``"2026-11-02"``)."""
    return date.fromisoformat(value)
