"""Widgets of the dashboard; each owns its session-state keys, named with its own prefix."""
