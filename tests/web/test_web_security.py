"""Security and bad input: headers on every response, CSRF, JSON-only API, limits, ids, escaping."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

XSS = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
PAGES = ["/", "/stories", "/stories/new", "/builder", "/transfer", "/profiles", "/trash"]


def make_story(client, **fields):
    body = {"title": "Quote latency", "text": "I decided to rebuild quote streaming, which cut latency 27 %."}
    body.update(fields)
    response = client.post("/api/stories", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_every_kind_of_response_carries_the_content_security_policy(client):
    responses = [
        client.get("/"),
        client.get("/stories/new"),
        client.get("/static/app.css"),
        client.get("/static/vendor/htmx.min.js"),
        client.get("/openapi.json"),
        client.get("/no/such/page"),
        client.get("/api/stories/12345"),
        client.post("/api/analyze", content=b"{", headers={"content-type": "application/json"}),
        client.post("/api/analyze", content=b"text", headers={"content-type": "text/plain"}),
        client.post("/api/analyze", content=b"x" * (1024 * 1024 + 10), headers={"content-type": "application/json"}),
        client.post("/stories/new", data={"text": "no token"}),
    ]
    for response in responses:
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, (response.request.url, response.status_code)
        assert "unsafe-inline" not in policy
        assert "default-src 'self'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_style(client, path):
    html = client.get(path).text
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S):
        assert script.strip() == "", f"inline script on {path}"
    assert re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", html) == []
    assert not re.search(r"\son[a-z]+\s*=", html), f"inline event handler on {path}"
    assert not re.search(r"\sstyle\s*=", html), f"inline style attribute on {path}"
    assert "<style" not in html
    assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_html_whatever_the_accept_header(client, path):
    response = client.get(path, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_form_posts_without_a_csrf_token_are_refused(client):
    client.get("/stories/new")
    response = client.post("/stories/new", data={"title": "t", "text": "I decided.", "action": "save"})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert client.get("/api/stories").json()["total"] == 0


def test_form_posts_with_a_wrong_token_or_a_foreign_origin_are_refused(client, form_token):
    token = form_token
    wrong = client.post("/profiles", data={"name": "generic-pm", "csrf_token": token + "x"})
    assert wrong.status_code == 403
    foreign = client.post(
        "/profiles", data={"name": "generic-pm", "csrf_token": token}, headers={"origin": "http://evil.example"}
    )
    assert foreign.status_code == 403
    assert client.get("/api/profiles").json()["active"] == "binance"


def test_form_posts_with_the_token_work(client, form_token):
    response = client.post("/profiles", data={"name": "generic-pm", "csrf_token": form_token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/api/profiles").json()["active"] == "generic-pm"


def test_the_csrf_cookie_is_strict_and_http_only(client):
    cookie = client.get("/").headers["set-cookie"]
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie


def test_json_api_needs_no_token_but_refuses_other_content_types(client):
    assert client.post("/api/analyze", json={"text": "I decided to cut fees 10 %."}).status_code == 200
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]:
        response = client.post("/api/stories", content=b'{"title": "t", "text": "x"}', headers={"content-type": content_type})
        assert response.status_code == 415
        assert "application/json" in response.json()["detail"]
    missing = client.post("/api/analyze", content=b'{"text": "I decided."}', headers={"content-type": ""})
    assert missing.status_code == 415


def test_bodyless_api_posts_need_the_json_content_type_too(client):
    story = make_story(client)
    client.delete(f"/api/stories/{story['id']}")
    refused = client.post(f"/api/stories/{story['id']}/undelete", headers={"content-type": ""})
    assert refused.status_code == 415
    assert client.get("/api/trash").json()["stories"]


def test_cross_site_api_writes_are_refused(client):
    for headers in [{"sec-fetch-site": "cross-site"}, {"origin": "http://evil.example"}, {"sec-fetch-site": "same-site"}]:
        response = client.post("/api/stories", json={"title": "t", "text": "I decided."}, headers=headers)
        assert response.status_code == 403, headers
    assert client.get("/api/stories").json()["total"] == 0
    same_origin = client.post("/api/analyze", json={"text": "I decided."}, headers={"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"})
    assert same_origin.status_code == 200


def test_requests_for_another_host_name_are_refused(client):
    """A rebinding attack reaches 127.0.0.1 under a foreign name: it gets nothing."""
    for host in ["evil.example", "evil.example:8000", "127.0.0.1.nip.io"]:
        response = client.get("/api/stories", headers={"host": host})
        assert response.status_code == 400, host
        assert "content-security-policy" in response.headers
    for host in ["127.0.0.1:8000", "localhost:8000", "localhost", "[::1]:8000"]:
        assert client.get("/api/stories", headers={"host": host}).status_code == 200, host


def test_no_cors_is_granted(client):
    preflight = client.options(
        "/api/stories",
        headers={"origin": "http://evil.example", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 405
    response = client.get("/api/stories", headers={"origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in preflight.headers


def test_bodies_over_one_mebibyte_get_413_with_a_message(client):
    body = json.dumps({"text": "a" * (1024 * 1024)}).encode()
    response = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_chunked_bodies_over_the_limit_are_counted_too(client):
    def chunks():
        for _ in range(17):
            yield b"x" * 65536

    response = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_texts_over_100000_characters_get_422_with_a_message(client):
    response = client.post("/api/analyze", json={"text": "I decided. " * 9091})
    assert response.status_code == 422
    assert response.json()["detail"] == "text: 100,001 characters; the limit is 100,000 characters"
    story = client.post("/api/stories", json={"title": "Long", "text": "x" * 100_001})
    assert story.status_code == 422 and "100,000" in story.json()["detail"]


def test_malformed_json_gets_422_with_a_message(client):
    for raw in [b"{", b'{"text": }', b"[1, 2", b"\xff\xfe"]:
        response = client.post("/api/analyze", content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 422
        assert response.json()["detail"].startswith("malformed JSON")


def test_wrong_json_shapes_get_422_naming_the_field(client):
    cases = [
        ([], "body"),
        ({"text": 5}, "text"),
        ({"text": "ok", "kind": "epic"}, "kind"),
        ({"text": "ok", "profile": "../../etc/passwd"}, "profile"),
        ({"text": "ok", "colour": "blue"}, "colour"),
        ({}, "text"),
    ]
    for body, field in cases:
        response = client.post("/api/analyze", json=body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field
        assert response.json()["detail"]


@pytest.mark.parametrize("path", ["abc", "0", "-1", "1.5", "99999999999999999999", "2147483648", "12"])
def test_malformed_or_unknown_ids_get_404(client, path):
    make_story(client)
    for url in [f"/api/stories/{path}", f"/api/stories/{path}/versions", f"/stories/{path}", f"/stories/{path}/history"]:
        response = client.get(url)
        assert response.status_code == 404, url
    assert client.put(f"/api/stories/{path}", json={"base_version": 1, "title": "x"}).status_code == 404
    assert client.delete(f"/api/stories/{path}").status_code == 404


def test_unknown_versions_get_404(client):
    story = make_story(client)
    assert client.get(f"/api/stories/{story['id']}/versions/7").status_code == 404
    assert client.get(f"/api/stories/{story['id']}/diff?from=1&to=7").status_code == 404


def test_an_xss_payload_renders_as_text_everywhere(client):
    story = make_story(client, title=XSS, text=f"I decided to ship {XSS} which cut latency 27 %.", tags=[XSS])
    client.put(f"/api/stories/{story['id']}", json={"base_version": 1, "text": f"I decided {XSS} again, cut 30 %."})
    for path in ["/", "/stories", f"/stories/{story['id']}", f"/stories/{story['id']}/history", "/stories?search=pwned"]:
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html, path
    assert client.get(f"/api/stories/{story['id']}").json()["title"] == XSS


def test_the_analysis_partial_escapes_the_text(client, form_token):
    response = client.post("/stories/analysis", data={"text": XSS, "csrf_token": form_token})
    assert response.status_code == 200
    assert "<script>alert" not in response.text and "&lt;script&gt;" in response.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
api_bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "title": json_values,
            "text": st.one_of(st.text(max_size=60), json_values),
            "kind": st.one_of(st.sampled_from(["auto", "impact", "nope", ""]), json_values),
            "principles": json_values,
            "tags": json_values,
            "profile": st.one_of(st.sampled_from(["binance", "nope", "/etc/passwd", "a" * 70]), json_values),
            "base_version": json_values,
            "parts": json_values,
        },
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=api_bodies)
def test_no_json_body_makes_the_api_fail_with_a_500(client, body):
    for method, url in [("post", "/api/analyze"), ("post", "/api/stories"), ("put", "/api/stories/1"), ("post", "/api/builder"), ("post", "/api/import")]:
        response = client.request(method.upper(), url, json=body)
        assert response.status_code < 500, (url, body, response.text)
        assert "Traceback" not in response.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(["title", "text", "kind", "profile", "tags", "principles", "action", "base_version", "step"]), st.text(max_size=40), max_size=8))
def test_no_form_post_fails_with_a_500(client, form_token, fields):
    if client.get("/api/stories/1").status_code == 404:
        make_story(client)
    data = dict(fields, csrf_token=form_token)
    for url in ["/stories/new", "/stories/analysis", "/builder", "/profiles", "/stories/1", "/stories/1/restore"]:
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, fields, response.text[:300])
