"""Helpers shared by the API tests (imported by the tests of tests/api/)."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(name="api")
def api_client():
    """An API client (the name avoids shadowing: test modules import this function, then ask for ``api``)."""
    return APIClient()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"), newline="")))


def read_json(response):
    return json.loads(body(response))


def count_queries(client, url) -> tuple[int, object]:
    """Queries run to produce the WHOLE response (streamed bodies are consumed inside the context)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        content = body(response)
    assert response.status_code == 200, content[:500]
    return len(queries), response
