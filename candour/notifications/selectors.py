from django.db import models

from candour.notifications.models import Message


def messages_about(obj: models.Model):
    """The e-mails sent (or queued) about one object, newest first. Callers check access to `obj` first."""
    return Message.objects.filter(related_object_type=obj._meta.label_lower, related_object_id=str(obj.pk))
