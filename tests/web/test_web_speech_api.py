"""Spoken answers over HTTP: streamed recordings, whole-file uploads, the report page, and every
kind of bad input (never a 500)."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest
from speech_audio import ANSWER, CHUNK_BYTES, Spoken, synthesise

SPOKEN: dict[str, Spoken] = {}  # synthesised once per test run


@pytest.fixture
def answer(require_flite: str, tmp_path_factory: pytest.TempPathFactory) -> Spoken:
    """A 13-second answer said by flite's slt voice, as 16 kHz PCM."""
    if "answer" not in SPOKEN:
        SPOKEN["answer"] = synthesise(require_flite, ANSWER, tmp_path_factory.mktemp("speech") / "answer.wav")
    return SPOKEN["answer"]


@pytest.fixture
def token(client) -> str:
    """The CSRF token of the test client (the cookie a page sets)."""
    client.get("/speak")
    return client.cookies["storybank_csrf"]


def pcm_headers(token: str) -> dict[str, str]:
    return {"content-type": "application/octet-stream", "x-csrf-token": token}


def start(client, **body) -> str:
    response = client.post("/api/speech/sessions", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def stream(client, token: str, recording: str, chunks: list[bytes]) -> None:
    for seq, chunk in enumerate(chunks):
        response = client.post(f"/api/speech/sessions/{recording}/chunks?seq={seq}", content=chunk, headers=pcm_headers(token))
        assert response.status_code == 200, response.text


def tone(seconds: float, amplitude: float = 0.3) -> bytes:
    """A 220 Hz tone as 16 kHz PCM: audible, but no words in it."""
    t = np.arange(int(seconds * 16_000)) / 16_000
    return (np.sin(2 * np.pi * 220 * t) * amplitude * 32767).astype("<i2").tobytes()


# --- streamed recordings -------------------------------------------------------------------------


@pytest.mark.speech
def test_a_streamed_answer_reports_duration_and_pace_close_to_the_truth(client, token, answer):
    recording = start(client)
    stream(client, token, recording, answer.chunks())
    response = client.post(f"/api/speech/sessions/{recording}/finish", json={})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["duration_s"] == pytest.approx(answer.duration_s, rel=0.05)
    assert report["wpm"] == pytest.approx(answer.wpm, rel=0.15)
    assert {"speaking_s", "words", "wpm_speaking", "wpm_series", "pauses", "fillers", "first_metric_s", "transcript"} <= set(report)
    assert report["analysis"]["approximate"] is True
    assert report["first_metric_s"] is not None and report["first_metric_s"] < answer.duration_s
    assert report["audio_file"] is None and report["report_url"] == f"/speak/reports/{recording}"
    assert client.get(f"/api/speech/reports/{recording}").json()["transcript"] == report["transcript"]
    # The recording is over: more audio, or a second finish, finds nothing.
    assert client.post(f"/api/speech/sessions/{recording}/finish", json={}).status_code == 404


@pytest.mark.speech
def test_the_report_page_shows_delivery_pace_chart_and_highlighted_transcript(client, token, answer, storybank_home):
    recording = start(client, keep_audio=True)
    stream(client, token, recording, answer.chunks(CHUNK_BYTES // 2))
    report = client.post(f"/api/speech/sessions/{recording}/finish", json={}).json()
    page = client.get(report["report_url"])
    assert page.status_code == 200
    html = page.text
    assert 'data-metric="wpm"' in html and f"{round(report['wpm'])} <span" in html
    assert "130–160" in html and "rate-chart__bar" in html and "timeline__speech" in html
    assert 'class="transcript"' in html and "approximate" in html
    assert report["transcript"].split()[2] in html
    # Kept: a 16 kHz mono WAV of exactly what was streamed, under the audio folder.
    kept = storybank_home / "audio" / report["audio_file"]
    with wave.open(str(kept)) as audio:
        assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (16_000, 1, 2)
        assert audio.readframes(audio.getnframes()) == answer.pcm
    assert not list((storybank_home / "audio").glob("*.part"))


@pytest.mark.speech
def test_a_whole_file_posted_to_analyze_gets_the_speak_json(client, token, answer):
    response = client.post(
        "/api/speech/analyze?keep_audio=false", content=answer.path.read_bytes(), headers={"content-type": "audio/wav", "x-csrf-token": token}
    )
    assert response.status_code == 200, response.text
    assert response.json()["duration_s"] == pytest.approx(answer.duration_s, rel=0.05)
    assert response.json()["source"] == "upload"


@pytest.mark.speech
def test_the_upload_form_works_without_javascript(client, token, answer, storybank_home):
    files = {"audio": ("my answer.wav", answer.path.read_bytes(), "audio/wav")}
    response = client.post("/speak", data={"csrf_token": token, "keep_audio": "on"}, files=files, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and "Uploaded recording" in page.text and 'data-metric="duration"' in page.text
    kept = list((storybank_home / "audio").glob("answer-*.wav"))
    assert len(kept) == 1 and kept[0].read_bytes() == answer.path.read_bytes()


def test_the_speak_page_has_the_recorder_and_an_upload_form_with_its_token(client, token):
    html = client.get("/speak").text
    assert "data-recorder" in html and f'data-csrf="{token}"' in html
    assert 'enctype="multipart/form-data"' in html and f'name="csrf_token" value="{token}"' in html
    assert '/static/recorder.js' in html and "<script>" not in html
    assert 'href="/speak"' in client.get("/").text


# --- bad input ------------------------------------------------------------------------------


def test_an_unknown_or_malformed_recording_is_404_everywhere(client, token):
    for path in ("/api/speech/sessions/nosuchrecording", "/api/speech/sessions/x%20y"):
        assert client.post(f"{path}/chunks", content=b"\0\0", headers=pcm_headers(token)).status_code == 404
        assert client.post(f"{path}/finish", json={}).status_code == 404
        assert client.delete(path).status_code == 404
    response = client.post("/api/speech/sessions/nosuchrecording/finish", json={})
    assert response.json()["detail"] == "no recording nosuchrecording in progress"
    assert client.get("/api/speech/reports/nosuchreport").status_code == 404
    assert client.get("/speak/reports/nosuchreport").status_code == 404


def test_empty_odd_and_file_shaped_chunks_are_refused_with_a_message(client, token):
    recording = start(client)
    chunks_url = f"/api/speech/sessions/{recording}/chunks"
    cases = {
        b"": "empty body",
        b"\x01\x02\x03": "not a whole number of 16-bit samples",
        b"RIFF\x24\x00\x00\x00WAVEfmt ": "WAV file, not raw PCM",
        b"OggS" + bytes(20): "OGG file",
    }
    for body, message in cases.items():
        response = client.post(chunks_url, content=body, headers=pcm_headers(token))
        assert response.status_code == 422 and message in response.json()["detail"], response.text
    # None of them spoiled the recording: good audio still goes in.
    assert client.post(chunks_url, content=tone(0.5), headers=pcm_headers(token)).status_code == 200


def test_chunks_out_of_order_are_refused_and_a_repeat_is_ignored(client, token):
    recording = start(client)
    url = f"/api/speech/sessions/{recording}/chunks"
    assert client.post(f"{url}?seq=0", content=tone(1), headers=pcm_headers(token)).json()["received"] == 1
    assert client.post(f"{url}?seq=0", content=tone(1), headers=pcm_headers(token)).json()["received"] == 1
    skipped = client.post(f"{url}?seq=2", content=tone(1), headers=pcm_headers(token))
    assert skipped.status_code == 409 and "chunk 1 was expected" in skipped.json()["detail"]
    assert client.post(f"{url}?seq=1", content=tone(1), headers=pcm_headers(token)).json()["seconds"] == 2.0


def test_finishing_with_no_audio_silence_or_no_words_is_422(client, token):
    cases = {b"": "no audio was received", bytes(32_000): "silent", tone(2): "no speech recognised"}
    for audio, message in cases.items():
        recording = start(client)
        if audio:
            stream(client, token, recording, [audio])
        response = client.post(f"/api/speech/sessions/{recording}/finish", json={})
        assert response.status_code == 422 and message in response.json()["detail"], response.text
        assert client.post(f"/api/speech/sessions/{recording}/finish", json={}).status_code == 404


def test_a_recording_past_the_profiles_limit_is_refused_and_closed(client, token, storybank_home: Path):
    profiles = storybank_home / "profiles"
    profiles.mkdir()
    (profiles / "brief.yaml").write_text("extends: binance\nname: brief\ndelivery:\n  max_recording_s: 2\n")
    started = client.post("/api/speech/sessions", json={"profile": "brief"}).json()
    assert started["max_seconds"] == 2
    stream(client, token, started["id"], [tone(1), tone(1)])
    response = client.post(started["chunk_url"], content=tone(1), headers=pcm_headers(token))
    assert response.status_code == 422 and "past the limit of 2 s" in response.json()["detail"]
    assert client.post(started["finish_url"], json={}).status_code == 404


def test_an_idle_recording_expires_is_closed_and_says_so(client, token):
    from storybank.web.speech_sessions import SpeechSessions

    now = [1000.0]
    registry = SpeechSessions(Path("unused"), idle_seconds=120, clock=lambda: now[0], sweep_seconds=None)
    client.app.state.speech_sessions = registry
    recording = start(client)
    stream(client, token, recording, [tone(1)])
    now[0] += 119
    stream(client, token, recording, [tone(1)])  # still open: this chunk keeps it alive
    now[0] += 121
    response = client.post(f"/api/speech/sessions/{recording}/chunks", content=tone(1), headers=pcm_headers(token))
    assert response.status_code == 404 and "expired after 120 s without audio" in response.json()["detail"]
    assert registry.active_count() == 0


def test_the_number_of_recordings_at_once_is_bounded(client):
    from storybank.web.speech_sessions import SpeechSessions

    client.app.state.speech_sessions = SpeechSessions(Path("unused"), max_recordings=2, sweep_seconds=None)
    first, _second = start(client), start(client)
    refused = client.post("/api/speech/sessions", json={})
    assert refused.status_code == 429 and "limit is 2" in refused.json()["detail"]
    assert client.delete(f"/api/speech/sessions/{first}").status_code == 204
    start(client)


def test_start_checks_its_fields(client):
    cases = [({"profile": "no-such-profile"}, "no-such-profile"), ({"sample_rate": 4000}, "sample_rate"),
             ({"profile": "../etc"}, "profile"), ({"loud": True}, "loud")]
    for body, word in cases:
        response = client.post("/api/speech/sessions", json=body)
        assert response.status_code == 422 and word in response.text, response.text


def test_audio_needs_the_right_content_type_and_the_csrf_header(client, token):
    recording = start(client)
    url = f"/api/speech/sessions/{recording}/chunks"
    assert client.post(url, content=tone(1), headers={"content-type": "text/plain", "x-csrf-token": token}).status_code == 415
    assert client.post(url, json={"samples": [1, 2]}).status_code == 415
    assert client.post(url, content=tone(1), headers={"content-type": "application/octet-stream"}).status_code == 403
    assert client.post(url, content=tone(1), headers={**pcm_headers(token), "x-csrf-token": "forged"}).status_code == 403
    cross_site = {**pcm_headers(token), "sec-fetch-site": "cross-site"}
    assert client.post(url, content=tone(1), headers=cross_site).status_code == 403
    assert client.post("/api/speech/analyze", json={"audio": "x"}).status_code == 415
    # Raw audio is accepted on the speech endpoints only.
    assert client.post("/api/analyze", content=tone(1), headers=pcm_headers(token)).status_code == 415
    assert client.post("/api/stories", content=tone(1), headers={"content-type": "audio/wav", "x-csrf-token": token}).status_code == 415


def test_body_limits_one_mebibyte_per_chunk_and_more_for_whole_files(client, token):
    recording = start(client)
    big_chunk = client.post(f"/api/speech/sessions/{recording}/chunks", content=bytes(1024 * 1024 + 2), headers=pcm_headers(token))
    assert big_chunk.status_code == 413 and "1024 KiB" in big_chunk.json()["detail"]
    huge_file = client.post("/api/speech/analyze", content=bytes(33 * 1024 * 1024), headers={"content-type": "audio/wav", "x-csrf-token": token})
    assert huge_file.status_code == 413 and "32768 KiB" in huge_file.json()["detail"]
    assert client.post("/api/analyze", content=b" " * (2 * 1024 * 1024), headers={"content-type": "application/json"}).status_code == 413


def test_bad_uploads_get_422_with_the_file_named(client, token):
    corrupt = b"RIFF\x10\x00\x00\x00WAVEfmt " + bytes(30)
    for name, body, message in [
        ("notes.txt", b"just some text", "notes.txt: not a WAV, FLAC or OGG audio file"),
        ("empty.wav", b"", "empty.wav: empty upload (0 bytes)"),
        ("broken.wav", corrupt, "broken.wav:"),
    ]:
        response = client.post("/speak", data={"csrf_token": token}, files={"audio": (name, body, "audio/wav")})
        assert response.status_code == 422 and message in response.text, response.text
    nothing_chosen = client.post("/speak", data={"csrf_token": token})
    assert nothing_chosen.status_code == 422 and "Choose a WAV, FLAC or OGG recording first." in nothing_chosen.text
    api = client.post("/api/speech/analyze", content=b"ID3" + bytes(64), headers={"content-type": "audio/wav", "x-csrf-token": token})
    assert api.status_code == 422 and "MP3 audio is not supported" in api.json()["detail"]
    assert client.post("/speak", data={"csrf_token": "forged"}, files={"audio": ("a.wav", b"x", "audio/wav")}).status_code == 403


def test_a_silent_wav_upload_is_refused(client, token):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1), audio.setsampwidth(2), audio.setframerate(16_000)
        audio.writeframes(bytes(64_000))
    response = client.post("/api/speech/analyze", content=buffer.getvalue(), headers={"content-type": "audio/wav", "x-csrf-token": token})
    assert response.status_code == 422 and "silent" in response.json()["detail"]


# --- a drill answered out loud ------------------------------------------------------------------


@pytest.mark.speech
def test_a_drill_answered_out_loud_stores_the_transcript_timing_and_delivery(client, token, answer, storybank_home):
    drill = client.post("/api/practice/drills", json={"question_id": "bn-funnel", "with_opening": False}).json()
    page = client.get(f"/practice/drills/{drill['uid']}").text
    assert "data-recorder" in page and f'data-drill="{drill["uid"]}"' in page and "Or say it out loud" in page
    assert 'action="/speak"' not in page  # no upload form inside the drill

    started = client.post("/api/speech/sessions", json={"profile": drill["profile"], "keep_audio": True}).json()
    stream(client, token, started["id"], answer.chunks())
    report = client.post(started["finish_url"], json={}).json()
    submitted = client.post(f"/api/speech/reports/{report['id']}/drills/{drill['uid']}/answer", json={})
    assert submitted.status_code == 201, submitted.text
    attempt = client.get(f"/api/practice/drills/{drill['uid']}").json()
    assert attempt["answer"] == report["transcript"]
    assert attempt["timings"]["answer"]["seconds"] == pytest.approx(answer.duration_s, abs=0.2)
    assert attempt["timings"]["answer"]["source"] == "audio"
    audio = attempt["audio"]
    assert audio["wpm"] == report["wpm"] and audio["approximate"] is True and "analysis" not in audio
    assert Path(audio["kept_file"]).parent == storybank_home / "audio" and Path(audio["kept_file"]).is_file()
    # The same report twice is the same answer, recorded once.
    again = client.post(f"/api/speech/reports/{report['id']}/drills/{drill['uid']}/answer", json={})
    assert again.status_code == 200 and again.json()["duplicate"] is True


def test_answering_a_drill_needs_a_known_report_and_drill(client):
    drill = client.post("/api/practice/drills", json={"question_id": "bn-funnel"}).json()
    missing_report = client.post(f"/api/speech/reports/nosuchreport/drills/{drill['uid']}/answer", json={})
    assert missing_report.status_code == 404 and "no report nosuchreport" in missing_report.json()["detail"]
    report_id = remember_transcript(client, SAID)
    assert client.post(f"/api/speech/reports/{report_id}/drills/{'f' * 32}/answer", json={}).status_code == 404
    assert client.post(f"/api/speech/reports/{report_id}/drills/{drill['uid']}/answer", json={}).status_code == 201


# --- the report page, from a known transcript ---------------------------------------------------

# (word, start, end): a pause of 2.1 s after "weeks", a filler "um" at 4.0 s, the metric at 2.5 s.
SAID = [
    ("i", 0.2, 0.3), ("decided", 0.3, 0.8), ("to", 0.8, 0.9), ("rebuild", 0.9, 1.4), ("checkout", 1.4, 1.9),
    ("and", 1.9, 2.0), ("conversion", 2.0, 2.5), ("rose", 2.5, 2.8), ("twelve", 2.8, 3.1), ("percent", 3.1, 3.5),
    ("um", 4.0, 4.2), ("within", 4.3, 4.6), ("six", 4.6, 4.8), ("weeks", 4.8, 5.2),
    ("i", 7.3, 7.4), ("aligned", 7.4, 7.8), ("the", 7.8, 7.9), ("risk", 7.9, 8.2), ("team", 8.2, 8.6),
]


def remember_transcript(client, said) -> str:
    """Keep a report made from known word timings, as if it had just been recorded."""
    from storybank.practice.delivery import Transcript, Word
    from storybank.practice.speech import report_from_transcript
    from storybank.web.routes.speech import sessions_of

    class Request:  # what sessions_of reads
        app = client.app

    transcript = Transcript(tuple(Word(*item) for item in said), 9.0, "pocketsphinx")
    report = report_from_transcript(transcript, "binance")
    return sessions_of(Request()).remember("known-words", report, "recording").id


REPLY = [
    ("our", 0.2, 0.4), ("aml", 0.4, 0.9), ("rule", 0.9, 1.2), ("required", 1.2, 1.7), ("screening", 1.7, 2.3),
    ("so", 2.4, 2.5), ("i", 2.5, 2.6), ("accepted", 2.6, 3.1), ("two", 3.1, 3.3), ("percent", 3.3, 3.7),
    ("less", 3.7, 3.9), ("volume", 3.9, 4.4),
]


def test_a_probe_answered_out_loud_stores_the_reply_timing_and_delivery(client):
    drill = client.post("/api/practice/drills", json={"question_id": "bn-funnel", "with_opening": False}).json()
    early = client.post(f"/api/speech/reports/{remember_transcript(client, REPLY)}/drills/{drill['uid']}/probe", json={})
    assert early.status_code == 409  # no probe before the answer
    client.post(f"/api/practice/drills/{drill['uid']}/answer", json={"text": "We improved the funnel a lot together."})
    page = client.get(f"/practice/drills/{drill['uid']}").text
    assert 'data-step="probe"' in page and "Or reply out loud" in page

    report_id = remember_transcript(client, REPLY)
    submitted = client.post(f"/api/speech/reports/{report_id}/drills/{drill['uid']}/probe", json={})
    assert submitted.status_code == 201, submitted.text
    attempt = client.get(f"/api/practice/drills/{drill['uid']}").json()
    assert attempt["phase"] == "done" and attempt["probe_reply"] == "Our AML rule required screening so I accepted two percent less volume."
    assert attempt["timings"]["probe"] == {**attempt["timings"]["probe"], "seconds": 9.0, "source": "audio"}
    assert attempt["audio"] is None and attempt["probe_audio"]["words"] == len(REPLY)
    assert attempt["probe_audio"]["report_id"] == report_id and "analysis" not in attempt["probe_audio"]
    again = client.post(f"/api/speech/reports/{report_id}/drills/{drill['uid']}/probe", json={})
    assert again.status_code == 200 and again.json()["duplicate"] is True
    history = client.get("/practice/history").text
    assert "Delivery of the spoken reply" in history and "Reply transcribed offline from the recording" in history
    summary = client.get(f"/practice/drills/{drill['uid']}").text
    assert "Decision ownership" in summary and ">ownership<" not in summary  # signals named as the profile names them


def test_the_report_page_places_pauses_fillers_and_the_first_metric(client):
    from storybank.web.speech_sessions import SpeechSessions

    client.app.state.speech_sessions = SpeechSessions(Path("unused"), clock=lambda: 0.0, sweep_seconds=None)
    report_id = remember_transcript(client, SAID)
    data = client.get(f"/api/speech/reports/{report_id}").json()
    assert data["pauses"] == [{"start": 5.2, "end": 7.3}]
    assert data["fillers"] == [{"text": "um", "start": 4.0, "approximate": True}]
    assert data["first_metric_s"] == 2.8 and data["duration_s"] == 9.0
    html = client.get(f"/speak/reports/{report_id}").text
    assert "0:05.2–0:07.3</strong> (2.1 s)" in html and "after “weeks”, before “i”" in html
    assert "“um” at 0:04.0" in html and "approximate" in html
    assert 'data-metric="first-metric">0:02.8<' in html and 'data-metric="duration">0:09.0<' in html
    assert html.count('class="rate-chart__bar ') == 1 and html.count('class="timeline__pause"') == 1
    assert "<mark class=\"hl hl--" in html  # the analyzer's findings, highlighted in the transcript
    assert "127 wpm — slower than 130" in html  # 19 words in 9 s


def test_stopping_the_server_abandons_recordings_and_their_partial_audio(storybank_home):
    from fastapi.testclient import TestClient

    from storybank.settings import Settings
    from storybank.web import create_app

    with TestClient(create_app(Settings.from_env()), base_url="http://127.0.0.1:8000") as server:
        server.get("/speak")
        started = server.post("/api/speech/sessions", json={"keep_audio": True}).json()
        headers = pcm_headers(server.cookies["storybank_csrf"])
        assert server.post(started["chunk_url"], content=tone(1), headers=headers).status_code == 200
        assert [path.suffix for path in (storybank_home / "audio").iterdir()] == [".part"]
    assert list((storybank_home / "audio").iterdir()) == []


def test_the_speech_api_is_in_the_openapi_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/speech/sessions", "/api/speech/sessions/{recording_id}/chunks", "/api/speech/sessions/{recording_id}/finish",
            "/api/speech/analyze", "/api/speech/reports/{report_id}"} <= set(paths)
    chunk_body = paths["/api/speech/sessions/{recording_id}/chunks"]["post"]["requestBody"]["content"]
    assert "application/octet-stream" in chunk_body
