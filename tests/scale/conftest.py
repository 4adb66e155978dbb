"""Fixtures for the scale-out tests: a local S3-compatible server (moto) on loopback."""

import urllib.request

import boto3
import pytest
from moto.server import ThreadedMotoServer

# The portal's enrollment fixtures (a certification path with an evidence step).
from tests.accounts.conftest import (  # noqa: F401
    certification,
    cohort,
    enroll,
    other_path,
    path,
)
from trainingcenter import media_storage

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"


@pytest.fixture(scope="session")
def moto_endpoint():
    """An S3-compatible server on a free loopback port, for this test session only."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_env(moto_endpoint, monkeypatch):
    """The environment of a node using object storage; every test starts with empty buckets."""
    urllib.request.urlopen(
        urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"), timeout=10
    ).close()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    return {
        "DJANGO_MEDIA_STORAGE": "s3",
        "DJANGO_S3_BUCKET": "tc-public",
        "DJANGO_S3_ENDPOINT_URL": moto_endpoint,
        "DJANGO_S3_REGION": REGION,
    }


@pytest.fixture
def s3_client(moto_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


@pytest.fixture
def use_s3(settings, s3_env, s3_client):
    """Switch this test's Django to object storage exactly as the settings would.

    use_s3(**extra_env) creates the buckets and returns the environment used."""

    def switch(**extra):
        env = {**s3_env, **extra}
        for bucket in {env["DJANGO_S3_BUCKET"], env.get("DJANGO_S3_PRIVATE_BUCKET")} - {None}:
            s3_client.create_bucket(Bucket=bucket)
        settings.STORAGES, _ = media_storage.configure(settings.STORAGES, env)
        return env

    return switch


def keys(s3_client, bucket):
    listing = s3_client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def anonymous_get(url):
    """GET without credentials, as a visitor's browser would: (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def pytest_collection_modifyitems(config, items):
    """The two-node tests start real servers (about a minute): they run when selected
    with `-m scale`, as .ci/run does, and are skipped with that reason otherwise."""
    if "scale" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(
        reason="starts PostgreSQL, Redis and two gunicorn nodes: run `pytest -m scale`"
    )
    for item in items:
        if item.get_closest_marker("scale"):
            item.add_marker(skip)
