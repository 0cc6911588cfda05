from django import forms
from django.contrib.auth.forms import AuthenticationForm

from candour.shell.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Contact your system administrator.",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username:
            self.add_error("username", forms.ValidationError("Enter your username"))
        if not password:
            self.add_error("password", forms.ValidationError("Enter your password"))
        if username and password:
            return super().clean()
        return self.cleaned_data
