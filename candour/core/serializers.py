"""Serializer plumbing shared by the apps' APIs."""

from __future__ import annotations

import copy

from rest_framework.serializers import BaseSerializer


class PrototypeFieldsMixin:
    """Build a serializer class's fields once per process and give each instance shallow copies.

    DRF deep-copies every declared field for every serializer instance (each copy re-runs the field's
    `__init__`), and a ModelSerializer also re-reads its model: about 1.5 ms of CPU per public submission on
    a 2-core machine (docs/performance.md). Binding a field to its serializer sets only the copy's own
    attributes (name, parent, label, source), so plain fields are copied shallowly; nested serializers keep
    DRF's deep copy, since their children are bound to them.
    """

    def get_fields(self):
        cls = type(self)
        prototype = cls.__dict__.get("_prototype_fields")
        if prototype is None:
            prototype = super().get_fields()
            cls._prototype_fields = prototype
        return {
            name: copy.deepcopy(field) if isinstance(field, BaseSerializer) else copy.copy(field)
            for name, field in prototype.items()
        }
