"""GOV.UK-style forms: an error summary that links to each field, and inline messages beside them."""

from django import forms


class GovukFormMixin:
    def govuk_error_list(self) -> list[dict]:
        errors = []
        for name, messages in self.errors.items():
            href = f"#{self[name].id_for_label}" if name in self.fields else "#main-content"
            errors.extend({"text": str(message), "href": href} for message in messages)
        return errors

    def error_for(self, name: str) -> dict | None:
        """The `errorMessage` parameter of a GOV.UK macro for one field, or None."""
        if name in self.errors:
            return {"text": " ".join(str(m) for m in self.errors[name])}
        return None


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
