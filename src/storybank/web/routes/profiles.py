"""Profile choice: which rubric (company) every page and API call uses by default."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from storybank.rubric.loader import ProfileError
from storybank.web.deps import bank_of, blocking
from storybank.web.forms import PROFILE_NAME_PATTERN, check_profile_name
from storybank.web.rendering import render, settings_of

router = APIRouter()


class ProfileChoice(BaseModel):
    """The profile to make active."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=PROFILE_NAME_PATTERN)


def profile_list(request: Request) -> dict[str, Any]:
    """Every loadable profile with its principles; broken user profiles are listed with their error."""
    from storybank.rubric.loader import SHIPPED_PROFILES, available_profiles, load_profile

    active = settings_of(request).active_profile()
    profiles = []
    for name in available_profiles():
        entry: dict[str, Any] = {"name": name, "active": name == active, "shipped": (SHIPPED_PROFILES / f"{name}.yaml").is_file()}
        try:
            profile = load_profile(name)
        except ProfileError as error:
            entry["error"] = str(error)
        else:
            entry.update(
                description=profile.description,
                source_note=profile.source_note,
                principles=[{"name": item.name, "description": item.description} for item in profile.principles],
                opening_seconds=profile.limits.opening_seconds,
                speaking_rate_wpm=profile.speaking_rate_wpm,
            )
        profiles.append(entry)
    return {"active": active, "profiles": profiles}


def use_profile(request: Request, name: str) -> str:
    """Make `name` the active profile (as `storybank profile use` does); 422 when it cannot load."""
    return bank_of(request).use_profile(name)


@router.get("/api/profiles", tags=["profiles"], summary="Profiles and the active one")
def profiles_api(request: Request) -> dict[str, Any]:
    """Shipped and user profiles, their principles, and which one is active."""
    return profile_list(request)


@router.put("/api/profiles/active", tags=["profiles"], summary="Choose the active profile")
def choose_profile_api(body: ProfileChoice, request: Request) -> dict[str, Any]:
    """Make a profile the default for every page and API call."""
    return {"active": use_profile(request, body.name)}


@router.get("/profiles", include_in_schema=False)
def profiles_page(request: Request, chosen: str = "") -> Response:
    """The profiles, with a form to choose the active one."""
    context = dict(profile_list(request), chosen=chosen, json_twin="/api/profiles")
    return render(request, "profiles.html", context)


@router.post("/profiles", include_in_schema=False)
async def choose_profile(request: Request) -> Response:
    """Make the chosen profile active, then show the list again."""
    form = await request.form()
    name = check_profile_name(form.get("name"))
    if not name:
        raise HTTPException(422, "name: choose a profile")
    await blocking(use_profile, request, name)
    return RedirectResponse(f"/profiles?chosen={name}", status_code=303)
