"""The JSON API: analysis, stories with versions and conflicts, coverage, readiness, import/export."""

from __future__ import annotations

import storybank

WEAK = "We helped the team improve the checkout flow. It was a big improvement and everyone was happy."
DECISIVE = (
    "I decided to rebuild the order-book cache, which cut order-cancel latency by 31 % and added $2.4 M in "
    "quarterly trading volume. I aligned risk, engineering and compliance in one review and shipped it in 6 weeks."
)


def create(client, **fields):
    body = {"title": "Order-book cache", "text": DECISIVE}
    body.update(fields)
    response = client.post("/api/stories", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_analyze_returns_the_same_object_as_the_python_api(client):
    response = client.post("/api/analyze", json={"text": DECISIVE, "profile": "binance", "kind": "auto"})
    assert response.status_code == 200
    assert response.json() == storybank.analyze(DECISIVE, "binance", "auto").to_dict()


def test_analyze_defaults_to_the_active_profile_and_auto_kind(client):
    data = client.post("/api/analyze", json={"text": WEAK}).json()
    assert data["profile"] == "binance"
    assert data["kind"] != "auto"
    assert data["verdict"] == "nice-talk"
    for finding in data["findings"]:
        assert 0 <= finding["start"] <= finding["end"] <= len(WEAK)


def test_analyze_refuses_an_empty_text_and_an_unknown_profile(client):
    empty = client.post("/api/analyze", json={"text": "   "})
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    unknown = client.post("/api/analyze", json={"text": DECISIVE, "profile": "acme"})
    assert unknown.status_code == 422 and "acme" in unknown.json()["detail"]


def test_create_returns_201_with_the_story_and_its_location(client):
    response = client.post(
        "/api/stories",
        json={"title": "Order-book cache", "text": DECISIVE, "tags": ["latency"], "principles": ["Relentless Execution"]},
    )
    assert response.status_code == 201
    story = response.json()
    assert response.headers["location"] == f"/api/stories/{story['id']}"
    assert story["version"] == 1
    assert story["text"] == DECISIVE
    assert story["tags"] == ["latency"]
    assert story["principles"] == ["Relentless Execution"]
    assert story["analysis"]["verdict"] == story["verdict"]
    assert client.get(f"/api/stories/{story['id']}").json() == story


def test_put_accepts_partial_bodies_and_keeps_omitted_fields(client):
    story = create(client, tags=["latency"])
    response = client.put(f"/api/stories/{story['id']}", json={"base_version": 1, "title": "Cache rebuild"})
    assert response.status_code == 200
    edited = response.json()
    assert edited["version"] == 2
    assert edited["title"] == "Cache rebuild"
    assert edited["text"] == DECISIVE and edited["tags"] == ["latency"]


def test_a_stale_base_version_gets_409_and_writes_nothing(client):
    story = create(client)
    client.put(f"/api/stories/{story['id']}", json={"base_version": 1, "title": "Second"})
    stale = client.put(f"/api/stories/{story['id']}", json={"base_version": 1, "title": "Lost update"})
    assert stale.status_code == 409
    assert "version 2" in stale.json()["detail"]
    assert stale.json()["current_version"] == 2
    assert client.get(f"/api/stories/{story['id']}").json()["title"] == "Second"


def test_put_requires_a_base_version(client):
    story = create(client)
    response = client.put(f"/api/stories/{story['id']}", json={"title": "No base"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "base_version"


def test_service_input_errors_are_422_with_the_service_message(client):
    response = client.post("/api/stories", json={"title": "  ", "text": DECISIVE})
    assert response.status_code == 422
    assert "title" in response.json()["detail"]
    unknown_principle = client.post("/api/stories", json={"title": "t", "text": DECISIVE, "principles": ["Frugality"]})
    assert unknown_principle.status_code == 422 and "Frugality" in unknown_principle.json()["detail"]


def test_versions_diff_and_restore(client):
    story = create(client)
    story_id = story["id"]
    client.put(f"/api/stories/{story_id}", json={"base_version": 1, "text": WEAK})
    versions = client.get(f"/api/stories/{story_id}/versions").json()["versions"]
    assert [item["version"] for item in versions] == [1, 2]
    assert versions[0]["text"] == DECISIVE and versions[1]["text"] == WEAK
    diff = client.get(f"/api/stories/{story_id}/diff?from=1&to=2").json()
    assert any(line.startswith("+We helped") for line in diff["text_diff"])
    restored = client.post(f"/api/stories/{story_id}/restore", json={"version": 1, "base_version": 2})
    assert restored.status_code == 200
    assert restored.json()["version"] == 3 and restored.json()["text"] == DECISIVE
    stale = client.post(f"/api/stories/{story_id}/restore", json={"version": 2, "base_version": 2})
    assert stale.status_code == 409


def test_delete_moves_to_the_trash_and_undelete_brings_it_back(client):
    story = create(client)
    deleted = client.delete(f"/api/stories/{story['id']}")
    assert deleted.status_code == 200 and deleted.json()["deleted_at"]
    assert client.get(f"/api/stories/{story['id']}").status_code == 404
    assert client.get("/api/stories").json()["total"] == 0
    assert [item["id"] for item in client.get("/api/trash").json()["stories"]] == [story["id"]]
    assert client.post(f"/api/stories/{story['id']}/undelete", json={}).status_code == 200
    assert client.get(f"/api/stories/{story['id']}").status_code == 200


def test_list_searches_and_filters(client):
    create(client, title="Order-book cache", tags=["latency"])
    create(client, title="Checkout tidy-up", text=WEAK, kind="customer")
    listing = client.get("/api/stories").json()
    assert listing["total"] == 2
    assert [item["title"] for item in client.get("/api/stories?search=checkout").json()["stories"]] == ["Checkout tidy-up"]
    assert [item["title"] for item in client.get("/api/stories?tag=latency").json()["stories"]] == ["Order-book cache"]
    assert [item["title"] for item in client.get("/api/stories?kind=customer").json()["stories"]] == ["Checkout tidy-up"]
    assert client.get("/api/stories?kind=epic").status_code == 422


def test_coverage_ready_and_dashboard(client):
    create(client, principles=["Relentless Execution"])
    coverage = client.get("/api/coverage").json()
    assert coverage["principles"] and coverage["stories"][0]["title"] == "Order-book cache"
    ready = client.get("/api/ready").json()
    assert ready["ready"] is False
    assert all({"label", "ok", "reason", "next_action"} <= set(item) for item in ready["items"])
    dashboard = client.get("/api/dashboard").json()
    assert dashboard["first_run"] is False
    assert dashboard["recent_stories"][0]["title"] == "Order-book cache"
    assert dashboard["readiness"] == ready
    assert client.get("/api/coverage?profile=generic-pm").json()["profile"] == "generic-pm"


def test_export_then_import_round_trips_into_a_fresh_bank(client, tmp_path, monkeypatch):
    story = create(client)
    client.put(f"/api/stories/{story['id']}", json={"base_version": 1, "title": "Renamed"})
    backup = client.get("/api/export").json()

    from fastapi.testclient import TestClient

    from storybank.settings import Settings
    from storybank.web import create_app

    monkeypatch.setenv("STORYBANK_HOME", str(tmp_path / "other-home"))
    with TestClient(create_app(Settings.from_env()), base_url="http://127.0.0.1:8000") as other:
        result = other.post("/api/import", json=backup)
        assert result.status_code == 200, result.text
        assert len(result.json()["created"]) == 1 and result.json()["versions"] == 2
        versions = other.get(f"/api/stories/{result.json()['created'][0]}/versions").json()["versions"]
        assert [item["title"] for item in versions] == ["Order-book cache", "Renamed"]
        again = other.post("/api/import", json=backup).json()
        assert again["created"] == [] and len(again["skipped"]) == 1


def test_import_of_a_malformed_backup_is_422_and_imports_nothing(client):
    response = client.post("/api/import", json={"format": "something-else", "stories": []})
    assert response.status_code == 422
    assert client.get("/api/stories").json()["total"] == 0


def test_builder_api_assembles_without_inventing_numbers(client):
    questions = client.get("/api/builder?kind=failure").json()
    assert "dip" in [part["key"] for part in questions["parts"]]
    built = client.post(
        "/api/builder",
        json={"kind": "impact", "parts": {"decision": "I decided to kill the legacy quote API", "kpi": "p99 latency fell 38 %"}},
    ).json()
    assert "38 %" in built["answer"]
    assert "[USD value?]" in built["placeholders"]
    assert built["analysis"]["verdict"] in {"decisive", "developing", "nice-talk"}
    assert client.post("/api/builder", json={"kind": "impact", "parts": {"mood": "great"}}).status_code == 422



def test_the_builder_asks_the_active_profiles_questions(client, storybank_home):
    profiles = storybank_home / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "mine.yaml").write_text(
        "extends: binance\nbuilder:\n  parts:\n    kpi: {question: Which number moved?}\n", encoding="utf-8"
    )
    assert client.put("/api/profiles/active", json={"name": "mine"}).status_code == 200
    questions = {part["key"]: part["question"] for part in client.get("/api/builder").json()["parts"]}
    assert questions["kpi"] == "Which number moved?"

def test_profiles_api_lists_and_chooses(client):
    profiles = client.get("/api/profiles").json()
    assert profiles["active"] == "binance"
    assert {"binance", "generic-pm"} <= {item["name"] for item in profiles["profiles"]}
    assert client.put("/api/profiles/active", json={"name": "generic-pm"}).json() == {"active": "generic-pm"}
    assert client.post("/api/analyze", json={"text": DECISIVE}).json()["profile"] == "generic-pm"
    assert client.put("/api/profiles/active", json={"name": "acme"}).status_code == 422


def test_openapi_documents_the_api(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path, method in [
        ("/api/analyze", "post"),
        ("/api/stories", "get"),
        ("/api/stories", "post"),
        ("/api/stories/{story_id}", "get"),
        ("/api/stories/{story_id}", "put"),
        ("/api/stories/{story_id}", "delete"),
        ("/api/stories/{story_id}/versions", "get"),
        ("/api/coverage", "get"),
        ("/api/ready", "get"),
    ]:
        assert method in paths[path], (path, method)
    assert not any(path.startswith("/stories") or path == "/" for path in paths)
