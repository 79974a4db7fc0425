"""The HTML pages without a browser: first run, forms that work without JavaScript, notices."""

from __future__ import annotations

import io
import json
import zipfile

DECISIVE = (
    "I decided to rebuild the order-book cache, which cut order-cancel latency by 31 % and added $2.4 M in "
    "quarterly trading volume. I aligned risk, engineering and compliance in one review and shipped it in 6 weeks."
)


def test_first_run_explains_the_method_and_offers_the_builder_and_an_example(client):
    html = client.get("/").text
    assert "Decision." in html and "Metric." in html and "Alignment." in html
    assert 'href="/builder"' in html
    assert "/stories/new?example=" in html


def test_the_example_story_opens_in_the_editor_with_its_analysis(client):
    html = client.get("/stories/new?example=decisive-impact").text
    assert "I decided" in html
    assert 'data-verdict="' in html


def test_without_javascript_the_analyze_button_renders_the_analysis(client, form_token):
    response = client.post("/stories/new", data={"csrf_token": form_token, "text": DECISIVE, "action": "analyze"})
    assert response.status_code == 200
    assert 'data-verdict="decisive"' in response.text
    assert client.get("/api/stories").json()["total"] == 0


def test_saving_from_the_editor_creates_a_story_and_a_version(client, form_token):
    response = client.post(
        "/stories/new",
        data={"csrf_token": form_token, "title": "Cache", "text": DECISIVE, "tags": "latency, cache", "action": "save",
              "principles": ["Relentless Execution", "Customer-First Innovation"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    story = client.get("/api/stories/1").json()
    assert story["tags"] == ["latency", "cache"]
    assert story["principles"] == ["Relentless Execution", "Customer-First Innovation"]
    page = client.get(response.headers["location"]).text
    assert "Saved as version 1" in page


def test_browser_line_breaks_are_stored_as_typed(client, form_token):
    client.post("/stories/new", data={"csrf_token": form_token, "title": "Lines", "text": "I decided.\r\nIt cut 10 %.", "action": "save"})
    assert client.get("/api/stories/1").json()["text"] == "I decided.\nIt cut 10 %."


def test_a_save_with_bad_input_keeps_the_text_and_says_why(client, form_token):
    response = client.post("/stories/new", data={"csrf_token": form_token, "title": "", "text": DECISIVE, "action": "save"})
    assert response.status_code == 422
    assert "a story needs a title" in response.text
    assert "order-book cache" in response.text


def test_a_conflicting_save_keeps_the_text_and_the_next_save_wins(client, form_token):
    story = client.post("/api/stories", json={"title": "Cache", "text": DECISIVE}).json()
    client.put(f"/api/stories/{story['id']}", json={"base_version": 1, "title": "Saved elsewhere"})
    mine = DECISIVE + " Complaints fell 12 %."
    fields = {"csrf_token": form_token, "title": "Cache", "text": mine, "base_version": "1", "action": "save"}
    conflict = client.post(f"/stories/{story['id']}", data=fields)
    assert conflict.status_code == 409
    assert "Complaints fell 12 %" in conflict.text
    assert 'name="base_version" value="2"' in conflict.text
    saved = client.post(f"/stories/{story['id']}", data=dict(fields, base_version="2"), follow_redirects=False)
    assert saved.status_code == 303
    assert client.get(f"/api/stories/{story['id']}").json()["text"] == mine


def test_history_page_shows_a_word_diff_and_restores(client, form_token):
    story = client.post("/api/stories", json={"title": "Cache", "text": DECISIVE}).json()
    client.put(f"/api/stories/{story['id']}", json={"base_version": 1, "text": DECISIVE.replace("31 %", "35 %")})
    html = client.get(f"/stories/{story['id']}/history").text
    assert "<del>31</del>" in html and "<ins>35</ins>" in html
    response = client.post(
        f"/stories/{story['id']}/restore", data={"csrf_token": form_token, "version": "1", "base_version": "2"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "Version 1 restored as version 3" in client.get(response.headers["location"]).text


def test_delete_and_undo_from_the_list(client, form_token):
    story = client.post("/api/stories", json={"title": "Cache", "text": DECISIVE}).json()
    deleted = client.post(f"/stories/{story['id']}/delete", data={"csrf_token": form_token}, follow_redirects=False)
    assert deleted.headers["location"] == f"/stories?deleted={story['id']}"
    listing = client.get(deleted.headers["location"]).text
    assert "is in the trash" in listing and "Undo" in listing
    client.post(f"/stories/{story['id']}/undelete", data={"csrf_token": form_token})
    assert client.get("/api/stories").json()["total"] == 1


def test_story_list_filters_and_empty_results(client):
    client.post("/api/stories", json={"title": "Cache rebuild", "text": DECISIVE, "tags": ["latency"]})
    assert "Cache rebuild" in client.get("/stories?search=cache").text
    assert "No story matches" in client.get("/stories?search=zebra").text
    assert client.get("/stories?kind=epic").status_code == 422


def test_builder_walks_step_by_step_and_saves(client, form_token):
    start = client.post("/builder", data={"csrf_token": form_token, "step": "0", "kind": "impact", "title": "Quote API", "action": "next"})
    assert start.status_code == 200 and "Step 1 of" in start.text
    fields = {"csrf_token": form_token, "kind": "impact", "title": "Quote API", "part_decision": "I decided to kill the legacy quote API"}
    second = client.post("/builder", data=dict(fields, step="1", action="next"))
    assert "Step 2 of" in second.text
    back = client.post("/builder", data=dict(fields, step="2", action="back"))
    assert "Step 1 of" in back.text and "kill the legacy quote API" in back.text
    fields["part_kpi"] = "p99 latency fell 38 %"
    review = client.post("/builder", data=dict(fields, step="6", action="next"))
    assert "Your story, in DMA order" in review.text and "38 %" in review.text
    assert "[USD value?]" in review.text
    saved = client.post("/builder/save", data=fields, follow_redirects=False)
    assert saved.status_code == 303
    story = client.get("/api/stories/1").json()
    assert story["parts"]["kpi"] == "p99 latency fell 38 %"


def test_builder_needs_a_title_first(client, form_token):
    response = client.post("/builder", data={"csrf_token": form_token, "step": "0", "kind": "impact", "title": " ", "action": "next"})
    assert response.status_code == 422 and "working title" in response.text


def test_export_downloads_and_import_upload(client, form_token):
    client.post("/api/stories", json={"title": "Cache", "text": DECISIVE})
    backup = client.get("/transfer/storybank-backup.json")
    assert backup.headers["content-disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/transfer/storybank-stories.zip").content))
    names = archive.namelist()
    assert len(names) == 1 and names[0].endswith(".md")
    markdown = archive.read(names[0])
    assert DECISIVE.encode() in markdown

    document = json.loads(backup.content)
    document["stories"] = []
    empty = client.post("/transfer/import", data={"csrf_token": form_token}, files={"files": ("backup.json", json.dumps(document).encode())})
    assert empty.status_code == 200 and "Imported" in empty.text

    new_story = b"---\ntitle: Fraud queue\nkind: risk\n---\nI decided to route withdrawals through a scored queue; fraud losses fell 22 %.\n"
    imported = client.post("/transfer/import", data={"csrf_token": form_token}, files={"files": ("fraud.md", new_story)})
    assert imported.status_code == 200 and "1 new story" in imported.text
    assert client.get("/api/stories?search=fraud").json()["total"] == 1


def test_a_bad_upload_imports_nothing_and_names_the_file(client, form_token):
    response = client.post(
        "/transfer/import",
        data={"csrf_token": form_token},
        files=[("files", ("good.md", b"---\ntitle: Good\n---\nI decided 10 %.\n")), ("files", ("../../bad.md", b"---\ntitle: [\n---\ntext\n"))],
    )
    assert response.status_code == 422
    assert "bad.md" in response.text and "Nothing was imported" in response.text
    assert "storybank-import-" not in response.text
    assert client.get("/api/stories").json()["total"] == 0
    odd = client.post("/transfer/import", data={"csrf_token": form_token}, files={"files": ("notes.txt", b"hello")})
    assert odd.status_code == 422 and "notes.txt" in odd.text


def test_profile_page_lists_and_switches(client, form_token):
    html = client.get("/profiles").text
    assert "generic-pm" in html and "Relentless Execution" in html
    client.post("/profiles", data={"csrf_token": form_token, "name": "generic-pm"})
    assert "generic-pm is now the active profile" in client.get("/profiles?chosen=generic-pm").text
    assert client.post("/profiles", data={"csrf_token": form_token, "name": "../x"}).status_code == 422


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/stories/42")
    assert response.status_code == 404
    assert "no story 42" in response.text and "Back to the dashboard" in response.text
