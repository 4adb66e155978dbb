import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response):
    """Every JSON-LD block of a page, parsed."""
    return [json.loads(block) for block in JSON_LD.findall(response.content.decode())]


def by_type(response, type_):
    return [item for item in json_ld(response) if item["@type"] == type_]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)
