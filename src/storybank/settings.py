"""Where storybank keeps its data, built explicitly from the environment (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_VARIABLE = "STORYBANK_HOME"
DATABASE_VARIABLE = "STORYBANK_DATABASE_URL"


@dataclass(frozen=True)
class Settings:
    """Locations and connection settings for one run of storybank."""

    home: Path
    database_url: str

    @property
    def profiles_dir(self) -> Path:
        """Folder for the user's own profile files."""
        return self.home / "profiles"

    @property
    def audio_dir(self) -> Path:
        """Folder for recordings the user chose to keep."""
        return self.home / "audio"

    @property
    def active_profile_file(self) -> Path:
        """File that names the profile later commands use by default."""
        return self.home / "active-profile"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Build settings from `STORYBANK_HOME` / `STORYBANK_DATABASE_URL` or the platform defaults."""
        env = os.environ if environ is None else environ
        if env.get(HOME_VARIABLE):
            home = Path(env[HOME_VARIABLE]).expanduser()
        else:
            import platformdirs

            home = Path(platformdirs.user_data_dir("storybank", appauthor=False))
        database_url = env.get(DATABASE_VARIABLE) or f"sqlite:///{home / 'storybank.db'}"
        return cls(home=home, database_url=database_url)

    def active_profile(self, default: str = "binance") -> str:
        """The profile chosen with `storybank profile use`, or `default`."""
        try:
            name = self.active_profile_file.read_text(encoding="utf-8").strip()
        except OSError:
            return default
        return name or default
