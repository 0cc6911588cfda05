"""`manage.py issue_api_token USERNAME [--rotate]`: print an API token for a colleague's scripts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from candour.audit import services as audit


@transaction.atomic
def issue_token(user, *, rotate: bool = False) -> tuple[Token, str]:
    """The user's API token: the existing one, a new one, or (rotate) a replacement that revokes the old.

    Returns (token, what happened: "existing", "created" or "rotated"). Issuing and rotating are audited;
    the token itself never is.
    """
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not rotate:
        return token, "existing"
    what = "rotated" if token is not None else "created"
    if token is not None:
        token.delete()
    token = Token.objects.create(user=user)
    audit.record(
        actor=None,
        actor_label="system",
        verb=f"api_token_{what}",
        obj=user,
        summary=f"API token {what} for {user.get_username()}",
    )
    return token, what


class Command(BaseCommand):
    help = "Print an API token for a colleague (creating one if needed; --rotate replaces it)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace the token: the old one stops working.")

    def handle(self, *args, username: str, rotate: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username!r} is not active: an inactive colleague cannot have an API token.")
        token, what = issue_token(user, rotate=rotate)
        self.stderr.write(f"Token {what} for {username}.")
        self.stdout.write(token.key)
