from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from candour.organisations.selectors import complaint_accepting_organisations
from candour.permissions import is_staff_member


def home(request):
    organisations = complaint_accepting_organisations()
    return render(request, "shell/home.html", {"page_title": _("Make a complaint"), "organisations": organisations})


def privacy(request):
    return render(request, "shell/privacy.html", {"page_title": _("Privacy notice")})


def cookies(request):
    return render(request, "shell/cookies.html", {"page_title": _("Cookies")})


def accessibility(request):
    return render(request, "shell/accessibility.html", {"page_title": _("Accessibility statement")})


def feedback(request):
    return render(request, "shell/feedback.html", {"page_title": _("Give feedback on this service")})


@login_required
def staff_home(request):
    context = {"page_title": "Manage complaints", "is_member": is_staff_member(request.user)}
    return render(request, "shell/staff_home.html", context)


def _error(request, template: str, title: str, status: int):
    return render(request, template, {"page_title": title}, status=status)


def forbidden(request, exception=None):
    return _error(request, "shell/403.html", _("You do not have access to this page"), 403)


def not_found(request, exception=None):
    return _error(request, "shell/404.html", _("Page not found"), 404)


def server_error(request):
    return _error(request, "shell/500.html", _("Sorry, there is a problem with the service"), 500)
