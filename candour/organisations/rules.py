"""Loaded by rules' autodiscovery at start-up so every permission is registered before any check runs."""

import candour.permissions  # noqa: F401
