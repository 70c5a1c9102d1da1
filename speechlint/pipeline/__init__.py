"""Stages 1 and 4–8 of a run: discovery, per-document and corpus rules, one filter, one fix
stage, locating — and `run`, which strings them together (see ARCHITECTURE.md)."""
