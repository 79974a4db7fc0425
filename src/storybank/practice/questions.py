"""The question bank: a profile's behavioral questions and probes, filtered and looked up.

Pure: profiles come in already loaded; nothing here reads files.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from storybank.practice.bank_models import PracticeSettings, Probe, Question
from storybank.rubric.models import STORY_KINDS, Profile


class UnknownChoice(ValueError):
    """A filter value the profile does not know (a principle or a story kind)."""


def principle_named(profile: Profile, name: str) -> str:
    """A principle as the profile spells it, matched case-insensitively; UnknownChoice otherwise."""
    wanted = " ".join(name.casefold().split())
    for principle in profile.principle_names():
        if " ".join(principle.casefold().split()) == wanted:
            return principle
    choices = ", ".join(profile.principle_names()) or "(this profile names none)"
    raise UnknownChoice(f"principle {name!r} is not in profile {profile.name!r}; choose from: {choices}")


def filter_questions(profile: Profile, *, principle: str | None = None, kind: str | None = None) -> list[Question]:
    """The profile's questions, in file order, keeping those that ask for `principle` and `kind`."""
    questions = list(profile.questions)
    if principle:
        canonical = principle_named(profile, principle).casefold()
        questions = [q for q in questions if canonical in (name.casefold() for name in q.principles)]
    if kind:
        if kind not in STORY_KINDS:
            raise UnknownChoice(f"kind {kind!r} is not a story kind; choose from: {', '.join(STORY_KINDS)}")
        questions = [q for q in questions if kind in q.kinds]
    return questions


def find_question(question_id: str, profiles: Iterable[Profile]) -> tuple[Question, Profile] | None:
    """The question with this id and the first profile (in the order given) that holds it."""
    for profile in profiles:
        for question in profile.questions:
            if question.id == question_id:
                return question, profile
    return None


def similar_ids(question_id: str, profiles: Iterable[Profile], limit: int = 3) -> list[str]:
    """Question ids that look like a mistyped `question_id`, for the error message."""
    ids = sorted({question.id for profile in profiles for question in profile.questions})
    return difflib.get_close_matches(question_id, ids, n=limit, cutoff=0.8)


def find_probe(probe_id: str, profile: Profile) -> Probe | None:
    """A probe of the profile by id."""
    return next((probe for probe in profile.probes if probe.id == probe_id), None)


def probes_for(profile: Profile, signal: str, kind: str) -> list[Probe]:
    """The profile's probes that test `signal` and fit a story of this kind, in file order."""
    return [probe for probe in profile.probes if probe.signal == signal and probe.fits(kind)]


def practice_settings(profile: Profile) -> PracticeSettings:
    """The profile's `practice:` section; a ValueError naming the profile when it has none."""
    if profile.practice is None:
        raise ValueError(f"profile {profile.name!r} has no practice: section (extend generic-pm, or add one)")
    return profile.practice

