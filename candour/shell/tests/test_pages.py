import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["shell:home", "shell:privacy", "shell:cookies", "shell:accessibility", "shell:feedback"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_exist_in_english_and_welsh(client, tree, name):
    english = client.get(reverse(name))
    assert english.status_code == 200
    assert b'<html lang="en"' in english.content
    with translation.override("cy"):
        welsh_url = reverse(name)
    assert welsh_url.startswith("/cy/")
    welsh = client.get(welsh_url)
    assert welsh.status_code == 200
    assert b'<html lang="cy"' in welsh.content
    assert "Neidio i'r prif gynnwys" in welsh.content.decode()
    # Each page links to the same page in the other language.
    assert f'href="{welsh_url}"'.encode() in english.content


def test_home_lists_the_organisations_that_take_complaints_in_the_chosen_language(client, tree):
    from candour.organisations import services

    services.update_organisation(actor=None, organisation=tree["agency"], name_cy="Asiantaeth")
    assert b"Agency" in client.get("/").content
    assert "Asiantaeth" in client.get("/cy/").content.decode()


def test_pages_carry_security_headers(client, tree):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">'.encode() in response.content


def test_missing_pages_get_a_govuk_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert "Heb ddod o hyd i'r dudalen" in client.get("/cy/no-such-page/").content.decode()


def test_error_pages_render(rf, db):
    from candour.shell import views

    request = rf.get("/")
    assert b"Sorry, there is a problem with the service" in views.server_error(request).content
    assert views.forbidden(request).status_code == 403


def test_the_staff_area_needs_a_sign_in(client, db):
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_every_public_string_has_a_welsh_translation():
    """Every _("...") in a public template is translated in the Welsh catalogue."""
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"""_\(\s*(["'])(.+?)(?<!\\)\1""")
    missing = []
    templates = [p for p in root.rglob("jinja2/**/*.html") if "staff" not in p.name and "/audit/" not in str(p)]
    with translation.override("cy"):
        for path in templates:
            text = path.read_text()
            if text.lstrip().startswith('{% extends "staff_base.html" %}'):
                continue
            for _quote, message in pattern.findall(text):
                if translation.gettext(message) == message and message not in {"Beta", "Cymraeg", "English"}:
                    missing.append(f"{path.relative_to(root)}: {message[:60]}")
    assert not missing, "Untranslated:\n" + "\n".join(missing)


def test_govuk_fonts_and_images_load_where_the_stylesheet_asks_for_them(client, db):
    import re as _re
    from pathlib import Path as _Path

    from django.conf import settings

    css = (_Path(settings.WHITENOISE_ROOT) / "govuk-frontend.min.css").read_text()
    font = _re.search(r"url\((/assets/fonts/[^)]+\.woff2)\)", css).group(1)
    response = client.get(font)
    assert response.status_code == 200
