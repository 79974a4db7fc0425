"""Practice use cases: the question bank, story matching, drills, history and reviews.

`Practice(bank)` works on an open `StoryBank` and shares its database, settings and clock, so
the web app and the CLI open the store once:

    with StoryBank(Settings.from_env()) as bank:
        practice = Practice(bank)
        result = practice.match("bn-reduced-churn")
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from storybank.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from storybank.practice.bank_models import PracticeSettings, Question
    from storybank.practice.matching import MatchResult
    from storybank.rubric.models import Profile
    from storybank.service import StoryBank
    from storybank.settings import Settings


def load_profile_for(settings: "Settings", name: str | None = None) -> "Profile":
    """A profile by name or path (default: the active one); `InvalidInput` when unusable."""
    from storybank.rubric.loader import ProfileError, load_profile

    try:
        return load_profile(name or settings.active_profile())
    except ProfileError as error:
        raise InvalidInput(str(error), field="profile") from error


def question_bank(
    settings: "Settings", profile: str | None = None, *, principle: str | None = None, kind: str | None = None
) -> list["Question"]:
    """A profile's questions filtered by principle and story kind (no database needed)."""
    from storybank.practice.questions import UnknownChoice, filter_questions

    try:
        return filter_questions(load_profile_for(settings, profile), principle=principle, kind=kind)
    except UnknownChoice as error:
        raise InvalidInput(str(error), field="principle" if str(error).startswith("principle") else "kind") from error


class Practice:
    """The practice use cases over one open story bank."""

    def __init__(self, bank: "StoryBank") -> None:
        self.bank = bank

    # --- profiles and the question bank -------------------------------------------------------

    def profile(self, name: str | None = None) -> "Profile":
        """A profile by name or path (default: the active one); `InvalidInput` when unusable."""
        return self.bank.load_profile(name)

    def settings_for(self, profile: "Profile") -> "PracticeSettings":
        """The profile's `practice:` section, or `InvalidInput` naming the profile."""
        from storybank.practice.questions import practice_settings

        try:
            return practice_settings(profile)
        except ValueError as error:
            raise InvalidInput(str(error), field="profile") from error

    def questions(
        self, profile: str | None = None, *, principle: str | None = None, kind: str | None = None
    ) -> list["Question"]:
        """The profile's questions, filtered by principle and story kind."""
        return question_bank(self.bank.settings, profile, principle=principle, kind=kind)

    def _profiles_to_search(self, first: str | None) -> Iterator["Profile"]:
        """The named profile, the active one, then every other loadable profile."""
        from storybank.rubric.loader import ProfileError, available_profiles, load_profile

        seen: set[str] = set()
        for name in (first, self.bank.default_profile(), *available_profiles()):
            if not name or name in seen:
                continue
            seen.add(name)
            try:
                yield load_profile(name)
            except ProfileError:
                continue  # a broken user profile must not hide the shipped questions

    def find_question(self, question_id: str, profile: str | None = None) -> tuple["Question", "Profile"]:
        """The question with this id and the profile it belongs to; `NotFound` with suggestions."""
        from storybank.practice.questions import find_question, similar_ids

        wanted = (question_id or "").strip()
        found = find_question(wanted, self._profiles_to_search(profile)) if wanted else None
        if found is None:
            hints = similar_ids(wanted, self._profiles_to_search(profile)) if wanted else []
            suggestion = f"; did you mean {', '.join(hints)}?" if hints else "; `storybank questions` lists them"
            raise NotFound(f"no question {wanted!r}{suggestion}")
        return found

    # --- matching stories to questions ---------------------------------------------------------

    def story_usage(self) -> dict[int, set[str]]:
        """For each story, the questions it is planned for (question links) or was drilled on."""
        usage: dict[int, set[str]] = {}
        for link in self.bank.question_links():
            usage.setdefault(link.story_id, set()).add(link.question_ref)
        return usage

    def match(self, question_id: str, profile: str | None = None) -> "MatchResult":
        """The user's stories ranked by fit to a question, with a warning when the best is overused."""
        from storybank.practice.matching import rank_stories

        question, question_profile = self.find_question(question_id, profile)
        stories = self.bank._stories_for_profile(question_profile, question_profile.name)
        return rank_stories(
            question,
            stories,
            self.settings_for(question_profile),
            profile=question_profile.name,
            usage=self.story_usage(),
        )
