"""The web app: FastAPI with server-rendered Jinja2 + htmx pages and a JSON API (see docs/web.md)."""
