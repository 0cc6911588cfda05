"""Test helpers shared across apps (local stand-ins for external services)."""
