"""Spoken answers in the browser: stream a recording chunk by chunk, or upload a whole file, and
get the delivery report. The JSON API lives under /api/speech/; the page is /speak.

Raw audio is the one kind of non-JSON body the API takes (see `security.AUDIO_BODY_PATHS`);
those requests carry the CSRF token header. Decoding is CPU-bound, so every call into the
recordings registry runs in the thread pool.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile

from storybank.errors import InvalidInput
from storybank.web.deps import blocking
from storybank.web.forms import PROFILE_NAME_PATTERN, check_profile_name
from storybank.web.rendering import render, settings_of
from storybank.web.security import AUDIO_MEDIA_TYPES, MAX_AUDIO_UPLOAD_BYTES
from storybank.web.speech_sessions import FinishedReport, SpeechSessions, TooManyRecordings

router = APIRouter()
RECORDING_ID = "{recording_id:str}"
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
_registry_lock = threading.Lock()


def sessions_of(request: Request) -> SpeechSessions:
    """The app's registry of recordings, created on first use."""
    app = request.app
    registry = getattr(app.state, "speech_sessions", None)
    if registry is None:
        with _registry_lock:
            registry = getattr(app.state, "speech_sessions", None)
            if registry is None:
                registry = app.state.speech_sessions = SpeechSessions(settings_of(request).audio_dir)
    return registry


def _checked_id(value: str) -> str:
    if not re.fullmatch(ID_PATTERN, value):
        raise HTTPException(404, f"no recording {value[:64]!r}")
    return value


async def _call(function, *args: Any, **kwargs: Any) -> Any:
    """Run a registry call in the thread pool; a full registry is 429, a broken backend 503."""
    from storybank.practice.speech import SpeechUnavailable

    try:
        return await blocking(function, *args, **kwargs)
    except TooManyRecordings as error:
        raise HTTPException(429, str(error)) from error
    except SpeechUnavailable as error:
        raise HTTPException(503, f"speech recognition is unavailable: {error}") from error


def report_json(finished: FinishedReport) -> dict[str, Any]:
    """The speak JSON of a finished report, with the address of its page."""
    return {**finished.to_dict(), "report_url": f"/speak/reports/{finished.id}"}


# --- the JSON API -----------------------------------------------------------------------------


class RecordingStart(BaseModel):
    """A new recording: the profile to judge it by, whether to keep the audio, the PCM rate."""

    model_config = ConfigDict(extra="forbid")

    profile: str | None = Field(default=None, pattern=PROFILE_NAME_PATTERN, description="Profile name; the active one when omitted.")
    keep_audio: bool = Field(default=False, description="Save the recording as WAV in the audio folder.")
    sample_rate: int = Field(default=16_000, ge=8_000, le=48_000, description="Rate of the PCM chunks, in Hz.")


@router.post("/api/speech/sessions", tags=["speech"], summary="Start a recording", status_code=201)
async def start_recording(body: RecordingStart, request: Request) -> dict[str, Any]:
    """Open a recording; then POST its audio to `chunk_url` as 16-bit little-endian mono PCM
    (`application/octet-stream`, about one second per chunk, header `X-CSRF-Token`), and
    POST `finish_url` for the report. Idle recordings close after two minutes."""
    from storybank.rubric.loader import load_profile

    registry = sessions_of(request)
    profile = await blocking(load_profile, body.profile or settings_of(request).active_profile())
    recording = await _call(registry.start, profile, keep_audio=body.keep_audio, sample_rate=body.sample_rate)
    base = f"/api/speech/sessions/{recording.id}"
    return {
        "id": recording.id,
        "profile": profile.name,
        "sample_rate": recording.session.sample_rate,
        "max_seconds": recording.session.targets.max_recording_s,
        "idle_timeout_s": registry.idle_seconds,
        "keep_audio": recording.keep_path is not None,
        "chunk_url": f"{base}/chunks",
        "finish_url": f"{base}/finish",
    }


@router.post(
    f"/api/speech/sessions/{RECORDING_ID}/chunks",
    tags=["speech"],
    summary="Send one chunk of a recording",
    openapi_extra={"requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def add_chunk(
    recording_id: str,
    request: Request,
    seq: int | None = Query(default=None, ge=0, description="Chunk number from 0; a repeat of the last one is ignored."),
) -> dict[str, Any]:
    """Decode the next chunk of 16-bit little-endian mono PCM (at most 1 MiB)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in AUDIO_MEDIA_TYPES:
        raise HTTPException(415, "send chunks as application/octet-stream: raw 16-bit little-endian mono PCM")
    chunk = await request.body()
    recording = await _call(sessions_of(request).feed, _checked_id(recording_id), chunk, seq)
    return {"id": recording.id, "received": recording.next_seq, "seconds": recording.seconds}


@router.post(f"/api/speech/sessions/{RECORDING_ID}/finish", tags=["speech"], summary="Finish a recording")
async def finish_recording(recording_id: str, request: Request) -> Response:
    """End the recording and return the same object as `storybank speak --json` (plus `id`,
    `profile`, `audio_file` and `report_url`)."""
    finished = await _call(sessions_of(request).finish, _checked_id(recording_id))
    return JSONResponse(report_json(finished))


@router.delete(f"/api/speech/sessions/{RECORDING_ID}", tags=["speech"], summary="Abandon a recording", status_code=204)
async def cancel_recording(recording_id: str, request: Request) -> Response:
    """Close the recording without a report; nothing is kept."""
    await _call(sessions_of(request).cancel, _checked_id(recording_id))
    return Response(status_code=204)


@router.post(
    "/api/speech/analyze",
    tags=["speech"],
    summary="Analyze a whole recording",
    openapi_extra={"requestBody": {"content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def analyze_recording(
    request: Request,
    profile: str | None = Query(default=None, pattern=PROFILE_NAME_PATTERN),
    keep_audio: bool = Query(default=False),
) -> Response:
    """A WAV, FLAC or OGG file as the body (`audio/wav`, `audio/flac`, `audio/ogg` or
    `application/octet-stream`, header `X-CSRF-Token`, at most 32 MiB) → the speak JSON."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in AUDIO_MEDIA_TYPES:
        raise HTTPException(415, "send the recording itself as the body: audio/wav, audio/flac, audio/ogg or application/octet-stream")
    finished = await _analyze(request, await request.body(), profile, keep_audio)
    return JSONResponse(report_json(finished))


@router.get("/api/speech/reports/{report_id:str}", tags=["speech"], summary="A recent report")
async def get_report(report_id: str, request: Request) -> Response:
    """The report of a recording or upload finished in the last 30 minutes."""
    finished = await _call(sessions_of(request).report, _checked_id(report_id))
    return JSONResponse(report_json(finished))


@router.post(
    "/api/speech/reports/{report_id:str}/drills/{uid:str}/answer",
    tags=["speech"],
    summary="Answer a drill out loud",
    status_code=201,
)
async def answer_drill(report_id: str, uid: str, request: Request) -> Response:
    """Submit a recent report's transcript as the answer of drill `uid`, timed by the recording,
    with its delivery metrics stored beside the analysis (as `storybank drill --answer-audio`).
    Answers like `POST /api/practice/drills/{uid}/answer`: 201, or 200 with `duplicate: true`."""
    from storybank.web.routes.practice_api import practice_of

    return await _submit_spoken(request, report_id, practice_of(request).submit_answer, uid)


@router.post(
    "/api/speech/reports/{report_id:str}/drills/{uid:str}/probe",
    tags=["speech"],
    summary="Reply to a drill's probe out loud",
    status_code=201,
)
async def reply_to_probe(report_id: str, uid: str, request: Request) -> Response:
    """Submit a recent report's transcript as the reply to drill `uid`'s follow-up probe, timed by
    the recording, with its delivery metrics stored as the attempt's `probe_audio`.
    Answers like `POST /api/practice/drills/{uid}/probe`: 201, or 200 with `duplicate: true`."""
    from storybank.web.routes.practice_api import practice_of

    return await _submit_spoken(request, report_id, practice_of(request).submit_probe_reply, uid)


async def _submit_spoken(request: Request, report_id: str, submit: Any, uid: str) -> Response:
    finished = await _call(sessions_of(request).report, _checked_id(report_id))
    audio = drill_audio(finished, settings_of(request).audio_dir)
    submitted = await blocking(submit, uid[:64], finished.report.text, seconds=finished.report.metrics.duration_s, audio=audio)
    return JSONResponse(submitted.to_dict(), status_code=200 if submitted.duplicate else 201)


def drill_audio(finished: FinishedReport, audio_dir: Path) -> dict[str, Any]:
    """What a drill attempt stores about a spoken answer: the speak JSON without the analysis (the
    attempt has its own), flagged approximate, with the kept file if any (as the CLI stores it)."""
    metrics = {key: value for key, value in finished.report.to_dict().items() if key != "analysis"}
    kept = str(audio_dir / finished.audio_file) if finished.audio_file else None
    metrics.update(approximate=True, source_file=None, kept_file=kept, report_id=finished.id)
    return metrics


async def _analyze(request: Request, audio: bytes, profile: str | None, keep_audio: bool) -> FinishedReport:
    from storybank.rubric.loader import load_profile

    rubric = await blocking(load_profile, profile or settings_of(request).active_profile())
    return await _call(sessions_of(request).analyze_upload, audio, rubric, keep_audio=keep_audio)


# --- the page ---------------------------------------------------------------------------------


def _page(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    from storybank.rubric.loader import ProfileError, load_profile

    try:
        targets = load_profile(settings_of(request).active_profile()).delivery
    except ProfileError:
        targets = None
    base = {
        "json_twin": None,
        "max_seconds": int(targets.max_recording_s) if targets else 600,
        "wpm_band": f"{targets.wpm_min:.0f}–{targets.wpm_max:.0f}" if targets else "130–160",
        "max_upload_mib": MAX_AUDIO_UPLOAD_BYTES // 2**20,
    }
    return render(request, "speak.html", {**base, **context}, status_code)


@router.get("/speak", include_in_schema=False)
def speak_page(request: Request) -> Response:
    """Record an answer out loud (or upload one) and see how it was delivered."""
    return _page(request, {})


@router.post("/speak", include_in_schema=False)
async def upload_answer(request: Request) -> Response:
    """The upload form (works without JavaScript): analyse the file, then show its report."""
    form = await request.form()
    upload = form.get("audio")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, {"error": "Choose a WAV, FLAC or OGG recording first."}, 422)
    audio = await upload.read()
    try:
        profile = check_profile_name(form.get("profile"))
        finished = await _analyze(request, audio, profile, form.get("keep_audio") == "on")
    except InvalidInput as error:
        return _page(request, {"error": str(error).replace("audio:", f"{upload.filename}:", 1)}, 422)
    return RedirectResponse(f"/speak/reports/{finished.id}", status_code=303)


@router.get("/speak/reports/{report_id:str}", include_in_schema=False)
async def report_page(report_id: str, request: Request) -> Response:
    """The report of a recent recording or upload."""
    from storybank.web.speech_view import speech_view

    finished = await _call(sessions_of(request).report, _checked_id(report_id))
    view = await blocking(speech_view, finished.report, report_id=finished.id, source=finished.source, audio_file=finished.audio_file)
    return _page(request, {"view": view, "json_twin": f"/api/speech/reports/{finished.id}"})
