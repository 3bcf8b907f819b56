"""Widgets: each renders part of the overview and holds no logic of its own."""
