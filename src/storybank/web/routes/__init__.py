"""Routes, one module per area of the UI; each page's JSON twin lives beside it under /api/."""

from storybank.web.routes import analysis, builder, dashboard, editor, planning, profiles, stories_api, stories_pages, transfer
from storybank.web.routes import practice, practice_api
from storybank.web.routes import speech

ROUTERS = [
    analysis.router,
    dashboard.router,
    stories_api.router,
    stories_pages.router,
    editor.router,
    builder.router,
    transfer.router,
    profiles.router,
    planning.router,
    practice_api.router,
    practice.router,
    speech.router,
]
