"""The local web UI and JSON API (`storybank serve`): build it with `create_app(settings)`."""

from storybank.web.app import create_app

__all__ = ["create_app"]
