"""The HTML page `GET /sparql` answers a browser with (`Accept: text/html`): the site's query page."""

from __future__ import annotations

from nipa_kg.server.site.query import render_query_page

__all__ = ["render_query_page"]
