"""Story files in and out: Markdown with YAML front matter, and the JSON backup.

Pure: it turns bytes into validated records and records into text; reading and writing files
and the database is the service's job. Every error is an `InvalidInput` that names the file
and, wherever the format allows, the line.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timezone
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from storybank.errors import InvalidInput
from storybank.records import QUESTION_FITS, QuestionLink, Story, StoryVersion, iso

BACKUP_FORMAT = "storybank-backup"
BACKUP_FORMAT_VERSION = 1
KIND_CHOICES = ("impact", "failure", "risk", "conflict", "customer", "other")
VERDICTS = ("decisive", "developing", "nice-talk")
_DELIMITER = re.compile(r"^---[ \t]*\r?$")
_CLOSING = re.compile(r"^(---|\.\.\.)[ \t]*\r?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _aware(value: Any) -> Any:
    """Accept ISO text, a datetime or a date; give back an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
    raise ValueError("expected an ISO 8601 date and time")


def _kind(value: str) -> str:
    if value not in KIND_CHOICES:
        raise ValueError(f"unknown kind {value!r}; expected one of {', '.join(KIND_CHOICES)}")
    return value


class FrontMatter(_Strict):
    """The fields a Markdown story file may carry above its text."""

    title: str = Field(min_length=1, max_length=200)
    kind: str = "auto"
    profile: str | None = None
    company: str | None = None
    principles: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    parts: dict[str, str] = Field(default_factory=dict)
    id: int | None = Field(default=None, ge=1)
    uid: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$")
    version: int = Field(default=1, ge=1)
    score: float | None = None  # informational: the analysis is recomputed on import
    verdict: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        return value if value == "auto" else _kind(value)

    @field_validator("created_at", "updated_at", mode="before")
    @classmethod
    def _timestamps(cls, value: Any) -> Any:
        return _aware(value)


class MarkdownStory(BaseModel):
    """A parsed Markdown story file."""

    source: str
    fields: FrontMatter
    text: str
    lines: dict[str, int] = Field(default_factory=dict)  # field name -> line in the file

    def line_of(self, field: str) -> int:
        """The line of a front-matter field (1 when the file has none)."""
        return self.lines.get(field, 1)


class BackupVersion(_Strict):
    """One version inside a JSON backup."""

    version: int = Field(ge=1)
    change: str = Field(min_length=1, max_length=16)
    restored_from: int | None = None
    created_at: datetime
    title: str = Field(min_length=1, max_length=200)
    kind: str
    profile: str = Field(min_length=1, max_length=100)
    company: str | None = Field(default=None, max_length=200)
    principles: list[str]
    tags: list[str]
    text: str = Field(min_length=1)
    parts: dict[str, str]
    score: float = Field(ge=0, le=100)
    verdict: str
    analysis: dict[str, Any]

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        return _kind(value)

    @field_validator("verdict")
    @classmethod
    def _known_verdict(cls, value: str) -> str:
        if value not in VERDICTS:
            raise ValueError(f"unknown verdict {value!r}; expected one of {', '.join(VERDICTS)}")
        return value

    @field_validator("created_at", mode="before")
    @classmethod
    def _timestamp(cls, value: Any) -> Any:
        return _aware(value)


class BackupLink(_Strict):
    """A question link inside a JSON backup."""

    id: int | None = Field(default=None, ge=1)
    question_ref: str = Field(min_length=1, max_length=300)
    question: str = Field(min_length=1)
    fit: str
    created_at: datetime

    @field_validator("fit")
    @classmethod
    def _known_fit(cls, value: str) -> str:
        if value not in QUESTION_FITS:
            raise ValueError(f"unknown fit {value!r}; expected one of {', '.join(QUESTION_FITS)}")
        return value

    @field_validator("created_at", mode="before")
    @classmethod
    def _timestamp(cls, value: Any) -> Any:
        return _aware(value)


class BackupStory(_Strict):
    """A story inside a JSON backup: identity, timestamps, and every version."""

    id: int = Field(ge=1)
    uid: str = Field(pattern=r"^[0-9a-f]{32}$")
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    versions: list[BackupVersion] = Field(min_length=1)
    question_links: list[BackupLink] = Field(default_factory=list)

    @field_validator("created_at", "updated_at", "deleted_at", mode="before")
    @classmethod
    def _timestamps(cls, value: Any) -> Any:
        return _aware(value)

    @field_validator("versions")
    @classmethod
    def _increasing(cls, value: list[BackupVersion]) -> list[BackupVersion]:
        numbers = [item.version for item in value]
        if any(later <= earlier for earlier, later in zip(numbers, numbers[1:])):
            raise ValueError("versions must be listed oldest first with increasing numbers")
        return value


class Backup(_Strict):
    """A whole JSON backup."""

    format: str
    format_version: int
    exported_at: datetime | None = None
    stories: list[BackupStory] = Field(default_factory=list)
    practice: dict[str, Any] | None = None  # drills and reviews, validated by storybank.practice.backup

    @field_validator("format")
    @classmethod
    def _our_format(cls, value: str) -> str:
        if value != BACKUP_FORMAT:
            raise ValueError(f"expected {BACKUP_FORMAT!r}; this is not a storybank backup")
        return value

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value > BACKUP_FORMAT_VERSION:
            raise ValueError(f"backup format {value} is newer than this storybank ({BACKUP_FORMAT_VERSION}); upgrade storybank")
        return value

    @field_validator("exported_at", mode="before")
    @classmethod
    def _timestamp(cls, value: Any) -> Any:
        return _aware(value)


# --- reading ---------------------------------------------------------------------------------


def _line_of_byte(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode_file(raw: bytes, source: str) -> str:
    """UTF-8 text of a file (a byte-order mark is dropped); errors name the file and line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = _line_of_byte(raw, error.start)
        raise InvalidInput(f"{source}: line {line}: invalid UTF-8 (byte {error.start}); expected UTF-8 text", file=source, line=line) from error
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidInput(f"{source}: line {line}: NUL character; expected text", file=source, line=line)
    return text


def _field_problem(error: ValidationError) -> tuple[str, str]:
    problem = error.errors()[0]
    field = ".".join(str(part) for part in problem["loc"]) or "(top level)"
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "extra_forbidden":
        message = "unknown field (check the spelling)"
    elif problem["type"] == "missing":
        message = "required field is missing"
    return field, message


def _key_lines(front: str, first_line: int) -> dict[str, int]:
    """Line in the file of each top-level front-matter key."""
    node = yaml.compose(front, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + first_line for key, _ in node.value}


def _split_front_matter(text: str, source: str) -> tuple[str | None, int, str]:
    """(front matter or None, line where the body starts, body)."""
    lines = text.splitlines(keepends=True)
    if not lines or not _DELIMITER.match(lines[0].rstrip("\n")):
        return None, 1, text
    for index in range(1, len(lines)):
        if _CLOSING.match(lines[index].rstrip("\n")):
            return "".join(lines[1:index]), index + 2, "".join(lines[index + 1 :])
    raise InvalidInput(f"{source}: line 1: front matter opened with --- is never closed", file=source, line=1)


def _title_from_body(body: str, source: str) -> tuple[str, str]:
    """A title for a file without front matter: its first `# heading`, else the file name."""
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if first.startswith("# ") and first[2:].strip():
        return first[2:].strip(), rest.lstrip("\n")
    name = re.sub(r"\.(md|markdown)$", "", source.replace("\\", "/").rsplit("/", 1)[-1])
    return (name.strip() or "Untitled story"), body


def parse_markdown(raw: bytes, source: str) -> MarkdownStory:
    """Parse one Markdown story file: YAML front matter for the fields, the body as the text."""
    text = decode_file(raw, source)
    front, body_line, body = _split_front_matter(text, source)
    first_line = 2  # the front matter starts below its opening ---
    if front is None:
        title, body = _title_from_body(body, source)
        fields = FrontMatter(title=title)
        return MarkdownStory(source=source, fields=fields, text=body, lines={"text": body_line})
    try:
        data = yaml.safe_load(front) if front.strip() else {}
        lines = _key_lines(front, first_line) if front.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + first_line) if mark else first_line
        problem = getattr(error, "problem", None) or str(error)
        raise InvalidInput(f"{source}: line {line}: malformed front matter: {problem}", file=source, line=line) from error
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: line {first_line}: front matter must be a mapping of fields", file=source, line=first_line)
    try:
        fields = FrontMatter.model_validate(data)
    except ValidationError as error:
        field, message = _field_problem(error)
        line = lines.get(field.split(".")[0], first_line)
        raise InvalidInput(f"{source}: line {line}: {field}: {message}", file=source, line=line, field=field) from error
    return MarkdownStory(source=source, fields=fields, text=body, lines={**lines, "text": body_line})


def parse_backup(raw: bytes, source: str) -> Backup:
    """Parse and validate a JSON backup."""
    text = decode_file(raw, source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{source}: line {error.lineno}: malformed JSON: {error.msg}", file=source, line=error.lineno) from error
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: line 1: expected a storybank backup object", file=source, line=1)
    try:
        return Backup.model_validate(data)
    except ValidationError as error:
        field, message = _field_problem(error)
        raise InvalidInput(f"{source}: {_json_path(field)}: {message}", file=source, field=field) from error


def _json_path(dotted: str) -> str:
    """`stories.2.versions.0.kind` -> `stories[2].versions[0].kind`."""
    return re.sub(r"\.(\d+)", r"[\1]", dotted)


# --- writing ---------------------------------------------------------------------------------


def version_to_backup(version: StoryVersion) -> dict[str, Any]:
    """One version as stored in a backup."""
    data = version.to_dict()
    data.pop("story_id")
    return data


def story_to_backup(story: Story, versions: list[StoryVersion], links: list[QuestionLink]) -> dict[str, Any]:
    """One story, all its versions and its question links, as stored in a backup."""
    return {
        "id": story.id,
        "uid": story.uid,
        "created_at": iso(story.created_at),
        "updated_at": iso(story.updated_at),
        "deleted_at": iso(story.deleted_at),
        "versions": [version_to_backup(version) for version in versions],
        "question_links": [
            {key: value for key, value in link.to_dict().items() if key != "story_id"} for link in links
        ],
    }


def backup_document(stories: list[dict[str, Any]], exported_at: datetime) -> dict[str, Any]:
    """The whole backup object; later features add their own top-level sections."""
    return {
        "format": BACKUP_FORMAT,
        "format_version": BACKUP_FORMAT_VERSION,
        "exported_at": iso(exported_at),
        "stories": stories,
    }


class _FrontMatterDumper(yaml.SafeDumper):
    """Writes a string holding a YAML line break other than \\n (NEL, LS, PS) double-quoted,
    where it is escaped: PyYAML would write it raw and read it back as a space."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(character in value for character in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FrontMatterDumper.add_representer(str, _represent_text)


def story_to_markdown(story: Story) -> str:
    """A story as Markdown: YAML front matter with its fields, then its text verbatim."""
    fields: dict[str, Any] = {
        "title": story.title,
        "kind": story.kind,
        "profile": story.profile,
    }
    if story.company:
        fields["company"] = story.company
    fields["principles"] = list(story.principles)
    fields["tags"] = list(story.tags)
    if story.parts:
        fields["parts"] = dict(story.parts)
    fields.update(
        id=story.id,
        uid=story.uid,
        version=story.version,
        score=story.score,
        verdict=story.verdict,
        created_at=iso(story.created_at),
        updated_at=iso(story.updated_at),
    )
    front = yaml.dump(fields, Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{story.text}"


def markdown_file_name(story: Story) -> str:
    """`0007-cut-withdrawal-review-time.md`: the id keeps names unique, the slug readable."""
    slug = re.sub(r"[^a-z0-9]+", "-", story.title.casefold()).strip("-")[:60].rstrip("-")
    return f"{story.id:04d}-{slug or 'story'}.md"
