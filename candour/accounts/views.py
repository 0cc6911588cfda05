from django.contrib.auth import views as auth_views
from django.shortcuts import render

from candour.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    pass


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when an account is locked after repeated failed sign-ins."""
    return render(
        request,
        "accounts/locked_out.html",
        {"page_title": "Your account is locked"},
        status=429,
    )
