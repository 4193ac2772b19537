"""Writes of Chapter 3; import them from their modules (resources.services.disclosure, …)."""
