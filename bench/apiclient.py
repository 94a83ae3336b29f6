"""What the Python benches share: JSON calls to the installed release's API, an API key made
through the admin login (the release's .liteboxd/env), and a percentile. Imported, never run."""
import json
import os
import time
import urllib.error
import urllib.request

API = os.environ["LITEBOXD_API_URL"] + "/api/v1"


def call(method, path, body=None, headers=None):
    """(status, JSON body, headers) of one API call; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(API + path, data=None if body is None else json.dumps(body).encode(),
                                     method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null"), e.headers


def login():
    """The admin session's cookie."""
    status, _, headers = call("POST", "/auth/login", {"username": os.environ["LITEBOXD_ADMIN_USER"],
                                                     "password": os.environ["LITEBOXD_ADMIN_PASSWORD"]})
    assert status == 200, status
    return headers["Set-Cookie"].split(";", 1)[0]


def api_key(bench, cookie=None):
    """(the key's JSON, an Authorization header with it), named after BENCH."""
    status, key, _ = call("POST", "/auth/api-keys", {"name": f"bench-{bench}-{int(time.time())}"},
                          {"Cookie": cookie or login()})
    assert status == 201, status
    return key, {"Authorization": "Bearer " + key["key"]}


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
