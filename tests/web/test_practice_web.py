"""Practice in the web app: pages and their JSON twins, drills timed by the server with an
injected clock, bad input as 4xx with clear messages, escaping, and reviewer mode."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

import storybank

pytestmark = pytest.mark.storage

WEAK = "We had a compliance issue <script>alert(1)</script> and the team fixed it quickly."
REPLY = "I kept the AML travel rule check, which kept 92 % of volume and avoided $1.1M in fines."


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(client) -> Clock:
    from storybank.web.deps import open_bank

    fake = Clock()
    open_bank(client.app).clock = fake
    return fake


def start(client, **body) -> dict:
    response = client.post("/api/practice/drills", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_drill_through_the_api_with_server_timing(client, clock) -> None:
    drill = start(client, question_id="bn-compliance-blocked-launch")
    assert drill["phase"] == "opening" and drill["countdown"] == {"phase": "opening", "limit": 45, "elapsed": 0.0, "remaining": 45}
    clock.advance(30)
    assert client.get(f"/api/practice/drills/{drill['uid']}").json()["countdown"]["remaining"] == 15
    opened = client.post(f"/api/practice/drills/{drill['uid']}/opening", json={"text": "I decided to keep the AML check."})
    assert opened.status_code == 201 and opened.json()["timings"]["opening"]["seconds"] == 30
    clock.advance(100)
    answered = client.post(f"/api/practice/drills/{drill['uid']}/answer", json={"text": WEAK})
    data = answered.json()
    assert answered.status_code == 201 and data["timings"]["answer"]["over_by"] == 10
    assert data["probe"]["signal"] == storybank.analyze(WEAK).weakest_signal()
    again = client.post(f"/api/practice/drills/{drill['uid']}/answer", json={"text": WEAK})
    assert again.status_code == 200 and again.json()["duplicate"] is True
    different = client.post(f"/api/practice/drills/{drill['uid']}/answer", json={"text": "Another answer."})
    assert different.status_code == 409 and "already submitted" in different.json()["detail"]
    replied = client.post(f"/api/practice/drills/{drill['uid']}/probe", json={"text": REPLY})
    assert replied.status_code == 201 and replied.json()["probe_check"]["risk_aware"] is True
    history = client.get("/api/practice/history").json()
    assert history["total"] == 1 and history["attempts"][0]["answer"] == WEAK


def test_bad_drill_input_is_a_clear_4xx(client, clock) -> None:
    assert client.post("/api/practice/drills", json={"question_id": "bn-nope"}).status_code == 404
    assert client.post("/api/practice/drills", json={"question_id": "Bad Id!"}).status_code == 422
    assert client.post("/api/practice/drills", json={"question_id": "bn-funnel", "story_id": 5}).status_code == 404
    drill = start(client, question_id="bn-funnel", with_opening=False)
    empty = client.post(f"/api/practice/drills/{drill['uid']}/answer", json={"text": "   "})
    assert empty.status_code == 422 and "answer: empty" in empty.json()["detail"]
    assert client.post(f"/api/practice/drills/{'f' * 32}/answer", json={"text": "x"}).status_code == 404
    assert client.post(f"/api/practice/drills/{drill['uid']}/probe", json={"text": "Reply."}).status_code == 409
    clock.advance(31 * 60)
    late = client.post(f"/api/practice/drills/{drill['uid']}/answer", json={"text": WEAK})
    assert late.status_code == 409 and "abandoned after 30 minutes" in late.json()["detail"]
    kept = client.get(f"/api/practice/drills/{drill['uid']}").json()
    assert kept["phase"] == "abandoned" and kept["answer"] == WEAK
    assert client.get("/api/practice/history").json()["total"] == 0


def test_the_drill_pages_work_as_plain_forms(client, form_token, clock) -> None:
    started = client.post("/practice/drills", data={"csrf_token": form_token, "question_id": "bn-funnel"}, follow_redirects=False)
    assert started.status_code == 303
    url = started.headers["location"]
    page = client.get(url)
    assert page.status_code == 200 and 'data-countdown data-limit="45.0"' in page.text and "/static/practice.js" in page.text
    assert "<script>" not in page.text.split("<main", 1)[1]
    clock.advance(20)
    client.post(f"{url}/opening", data={"csrf_token": form_token, "text": "I decided to move KYC."})
    answer_page = client.get(url)
    assert "2 · Your full answer" in answer_page.text and 'data-limit="90.0"' in answer_page.text
    clock.advance(60)
    probe_page = client.post(f"{url}/answer", data={"csrf_token": form_token, "text": WEAK})
    assert probe_page.status_code == 200 and "3 · Follow-up" in probe_page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" not in probe_page.text  # the answer is not shown yet
    twice = client.post(f"{url}/answer", data={"csrf_token": form_token, "text": WEAK})
    assert "recorded once" in twice.text
    summary = client.post(f"{url}/probe", data={"csrf_token": form_token, "text": REPLY})
    assert "Summary" in summary.text and "The one change that would help most" in summary.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary.text and "<script>alert(1)" not in summary.text
    refused = client.post(f"{url}/answer", data={"csrf_token": form_token, "text": "A new answer."})
    assert refused.status_code == 409 and "start a new drill" in refused.text and "A new answer." in refused.text
    assert client.post(f"{url}/answer", data={"text": "no token"}).status_code == 403


def test_an_abandoned_drill_page_keeps_the_text(client, form_token, clock) -> None:
    started = client.post("/practice/drills", data={"csrf_token": form_token, "question_id": "bn-funnel"}, follow_redirects=False)
    url = started.headers["location"]
    clock.advance(45 * 60)
    late = client.post(f"{url}/opening", data={"csrf_token": form_token, "text": "My late opening."})
    assert late.status_code == 409 and "abandoned" in late.text and "My late opening." in late.text
    assert "Drill this question again" in client.get(url).text


def test_retrieval_drill_page(client, form_token, clock) -> None:
    client.post("/api/stories", json={"title": "Fee page", "text": "I decided to cut fees; churn fell 4.3 %, worth $1.1M."})
    started = client.post("/practice/drills", data={"csrf_token": form_token, "question_id": "bn-reduced-churn", "mode": "retrieval"},
                          follow_redirects=False)
    url = started.headers["location"]
    assert 'data-limit="10.0"' in client.get(url).text
    clock.advance(6)
    done = client.post(f"{url}/retrieval", data={"csrf_token": form_token, "story": "fee page", "text": "Churn fell 4.3 %."})
    assert done.status_code == 200 and "one of the best matches" in done.text
    unknown = client.post("/practice/drills", data={"csrf_token": form_token, "question_id": "bn-reduced-churn", "mode": "retrieval"},
                          follow_redirects=False).headers["location"]
    missing = client.post(f"{unknown}/retrieval", data={"csrf_token": form_token, "story": "nothing like it", "text": "Line."})
    assert missing.status_code == 404


def test_questions_and_match_pages_have_json_twins(client) -> None:
    page = client.get("/practice?kind=failure")
    twin = client.get("/api/practice/questions?kind=failure").json()
    assert page.status_code == 200 and twin["questions"]
    for question in twin["questions"]:
        assert question["id"] in page.text
    assert client.get("/practice?kind=heroic").status_code == 422
    assert client.get("/api/practice/questions?principle=Frugality").status_code == 422
    match = client.get("/practice/questions/bn-funnel")
    assert match.status_code == 200 and "Best stories for this question" in match.text
    assert client.get("/practice/questions/bn-nope").status_code == 404
    assert client.get("/api/practice/questions/bn-funnel/match").json()["question"]["id"] == "bn-funnel"


def test_history_page_shows_attempts_in_full_and_the_chart(client, clock) -> None:
    for answer in (WEAK, REPLY):
        drill = start(client, question_id="bn-funnel", with_opening=False)
        client.post(f"/api/practice/drills/{drill['uid']}/answer", json={"text": answer})
        clock.advance(3600)
    page = client.get("/practice/history")
    assert page.status_code == 200 and page.text.count('class="attempt"') == 2
    assert "<svg" in page.text and "<style" not in page.text and "&lt;script&gt;" in page.text
    svg = client.get("/practice/history/chart.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<script" not in svg.text
    assert re.search(r"<polyline points=\"[\d., ]+\"", svg.text)


def test_reviewer_page_form_and_calibration(client, form_token, clock) -> None:
    drill = start(client, question_id="bn-funnel", with_opening=False)
    client.post(f"/api/practice/drills/{drill['uid']}/answer", json={"text": WEAK})
    attempt_id = drill["id"]
    page = client.get(f"/practice/attempts/{attempt_id}/review")
    assert page.status_code == 200 and "Suggested probes" in page.text and page.text.count('type="radio"') == 25
    uid = re.search(r'name="review_uid" value="([0-9a-f]{32})"', page.text).group(1)
    form = {"csrf_token": form_token, "review_uid": uid, "reviewer": "Dana <i>", "score_ownership": "5",
            "score_brevity": "4", "comment_ownership": "Clear <b>call</b>", "note": ""}
    saved = client.post(f"/practice/attempts/{attempt_id}/review", data=form)
    assert saved.status_code == 200 and "saved" in saved.text and "Clear &lt;b&gt;call&lt;/b&gt;" in saved.text
    again = client.post(f"/practice/attempts/{attempt_id}/review", data=form)
    assert "recorded once" in again.text
    bad = client.post(f"/practice/attempts/{attempt_id}/review", data={**form, "review_uid": "", "score_ownership": "9"})
    assert bad.status_code == 422 and "outside the scale" in bad.text and 'value="Dana &lt;i&gt;"' in bad.text
    api = client.get(f"/api/practice/attempts/{attempt_id}/review").json()
    assert len(api["reviews"]) == 1 and api["comparison"][0]["human"] == 5
    posted = client.post(f"/api/practice/attempts/{attempt_id}/review", json={"reviewer": "Sam", "scores": {"alignment": 2}})
    assert posted.status_code == 201 and posted.json()["source"] == "api"
    assert client.post(f"/api/practice/attempts/{attempt_id}/review", json={"reviewer": "Sam", "scores": {}}).status_code == 422
    assert client.get("/practice/attempts/999/review").status_code == 404
    calibration = client.get("/api/practice/calibration").json()
    assert calibration["dimensions"][0]["reviews"] == 1 and calibration["disagreements"]
    assert "Reviewers and the analyzer" in client.get("/practice/calibration").text


def test_review_file_download_and_upload(client, form_token, clock) -> None:
    drill = start(client, question_id="bn-funnel", with_opening=False)
    client.post(f"/api/practice/drills/{drill['uid']}/answer", json={"text": WEAK})
    download = client.get(f"/practice/attempts/{drill['id']}/review-file")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    filled = download.text.replace('reviewer: ""', 'reviewer: "Kim"').replace("  alignment:\n", "  alignment: 1\n")
    upload = client.post("/practice/reviews/import", data={"csrf_token": form_token},
                         files={"file": ("back.yaml", filled.encode(), "application/yaml")})
    assert upload.status_code == 200 and "Review 1 saved" in upload.text
    twice = client.post("/practice/reviews/import", data={"csrf_token": form_token},
                        files={"file": ("back.yaml", filled.encode(), "application/yaml")})
    assert "recorded once" in twice.text
    broken = client.post("/practice/reviews/import", data={"csrf_token": form_token},
                         files={"file": ("broken.yaml", b"format: nope\n", "application/yaml")})
    assert broken.status_code == 422 and "broken.yaml: line 1" in broken.text
    via_api = client.post("/api/practice/reviews/import", json={"text": filled})
    assert via_api.status_code == 200 and via_api.json()["duplicate"] is True
