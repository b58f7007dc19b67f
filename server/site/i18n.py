"""The page language: `?lang=` (remembered in a cookie) over the cookie over `Accept-Language`.

Pages are in Korean or English; `LANGUAGES[0]` is the fallback when the request prefers neither.
"""

from __future__ import annotations

from flask import Request, Response, g, request

from nipa_kg.server.site.messages import MESSAGES

LANGUAGES = ("en", "ko")
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def requested_language(req: Request) -> str:
    """The language a request asks for, by `?lang=`, then the cookie, then `Accept-Language`."""
    for value in (req.args.get("lang"), req.cookies.get(COOKIE)):
        if value in LANGUAGES:
            return value
    return req.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def page_language() -> str:
    """The language of the page being rendered (worked out once per request)."""
    if "site_lang" not in g:
        g.site_lang = requested_language(request)
    return g.site_lang


def translate(key: str) -> str:
    """The site's word for `key` in the page language."""
    return MESSAGES[key][page_language()]


def other_language(lang: str) -> str:
    return next(other for other in LANGUAGES if other != lang)


def remember_language(response: Response) -> Response:
    """After a request: keep an explicit `?lang=` in a cookie, and say HTML depends on the language."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax")
    if response.mimetype == "text/html":
        response.vary.update(("Accept-Language", "Cookie"))
    return response
