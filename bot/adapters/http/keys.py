"""What the HTTP routes find on their aiohttp application: the Citebot and the API's bearer token."""

from __future__ import annotations

from aiohttp import web

from bot.service import Citebot

CITEBOT_KEY = web.AppKey("citebot", Citebot)
TOKEN_KEY = web.AppKey("api_token", str)  # "" while CITEBOT_API_TOKEN is unset: the API refuses everyone
