"""The plain HTML pages of the login (served by Flask, so they work before any Dash script and
in ``SLT_ACCESS=login`` mode), and the refusal shown for analyst-only pages."""

from __future__ import annotations

from dash import dcc, html
from flask import render_template_string

_PAGE = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – SLT-statistikk</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"><link rel="stylesheet" href="/assets/slt.css">
</head><body>
<nav class="navbar navbar-dark bg-dark mb-4"><div class="container">
<a class="navbar-brand fw-bold" href="/">SLT-statistikk</a></div></nav>
<main class="container" style="max-width: 28rem">
<h1 class="h3 mb-3">{{ title }}</h1>
{% if message %}<div class="alert alert-danger" role="alert" id="login-feil">{{ message }}</div>{% endif %}
{{ body }}
</main></body></html>"""

_LOGIN = """<form method="post" action="/logg-inn" id="login-form">
<input type="hidden" name="csrf" value="{{ csrf }}"><input type="hidden" name="neste" value="{{ target }}">
<div class="mb-3"><label class="form-label" for="brukernavn">Brukernavn</label>
<input class="form-control" id="brukernavn" name="brukernavn" autocomplete="username" required autofocus></div>
<div class="mb-3"><label class="form-label" for="passord">Passord</label>
<input class="form-control" id="passord" name="passord" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">Logg inn</button>
{% if public %}<a class="btn btn-link" href="/">Tilbake uten å logge inn</a>{% endif %}
</form>
<p class="text-muted small mt-4">Brukere legges til av den som drifter løsningen, med
<code>slt user add NAVN --role analyst|viewer</code>.</p>"""

_LOGOUT = """<p>{% if name %}Du er logget inn som {{ name }}.{% else %}Du er ikke logget inn.{% endif %}</p>
<form method="post" action="/logg-ut"><button class="btn btn-primary" type="submit">Logg ut</button></form>"""

_REFUSAL = """<p id="ingen-tilgang">Denne siden er bare for brukere med rollen analytiker.
{% if name %}Du er logget inn som {{ name }}.{% endif %}</p>
<p><a href="/">Til oversikten</a> · <a href="/logg-inn">Logg inn som en annen bruker</a></p>"""


def _page(title: str, body: str, message: str | None = None, **values) -> str:
    inner = render_template_string(body, **values)
    return render_template_string(_PAGE, title=title, message=message,
                                  body=_Markup(inner))


class _Markup(str):
    """Already-escaped HTML from our own template (Jinja's ``__html__`` protocol)."""

    def __html__(self) -> str:
        return str(self)


def form(csrf: str, target: str, message: str | None = None, access: str = "public") -> str:
    return _page("Logg inn", _LOGIN, message, csrf=csrf, target=target,
                 public=access == "public")


def logout_form(name: str | None) -> str:
    return _page("Logg ut", _LOGOUT, name=name)


def refusal(name: str | None) -> str:
    return _page("Ingen tilgang", _REFUSAL, name=name)


def refusal_component(name: str | None, path: str) -> html.Div:
    """Shown in the app instead of an analyst page's layout."""
    who = f" Du er logget inn som {name}." if name else ""
    return html.Div([
        html.H1("Ingen tilgang", className="h3 mb-3"),
        html.P("Denne siden er bare for brukere med rollen analytiker." + who,
               id="ingen-tilgang"),
        html.P([dcc.Link("Til oversikten", href="/"), " · ",
                html.A("Logg inn som analytiker", href=f"/logg-inn?neste={path}")]),
    ])
