"""The Jinja2 environment every Candour page is rendered with.

GOV.UK Frontend's own component macros (govuk-frontend-jinja) are available in every template as
globals (`govukButton`, `govukInput`, ...), so pages use the Design System's markup, not copies of it.
"""

from pathlib import Path

import govuk_frontend_jinja
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.formats import date_format
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, Undefined

from candour.shell.navigation import staff_navigation

GOVUK_TEMPLATES = Path(govuk_frontend_jinja.__file__).parent / "templates"


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def switch_language_url(request, language: str) -> str:
    """The same page in the other language (public pages live under /cy/ in Welsh)."""
    return translate_url(request.get_full_path(), language)


def govuk_date(value, fmt: str = "j F Y") -> str:
    if not value:
        return ""
    return date_format(value, fmt)


def _component_macros(env: Environment) -> dict:
    macros = {}
    for macro_file in sorted((GOVUK_TEMPLATES / "components").glob("*/macro.html")):
        module = env.get_template(f"govuk_frontend_jinja/components/{macro_file.parent.name}/macro.html").module
        for name in dir(module):
            if name.startswith("govuk"):
                macros[name] = getattr(module, name)
    return macros


def environment(**options) -> Environment:
    base_loader = options.pop("loader", None) or FileSystemLoader([])
    options["loader"] = ChoiceLoader(
        [base_loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    )
    # GOV.UK macros test optional parameters for truthiness, so undefined values must be plain falsy.
    options["undefined"] = Undefined
    env = Environment(**options)  # noqa: S701 - Django passes autoescape=True
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    env.globals.update(
        {
            "url": url,
            "static": static,
            "switch_language_url": switch_language_url,
            "get_language": translation.get_language,
            "settings_service_name": "Candour",
            "DEBUG": settings.DEBUG,
            "staff_navigation": staff_navigation,
        }
    )
    env.filters["govuk_date"] = govuk_date
    env.globals.update(_component_macros(env))
    return env
