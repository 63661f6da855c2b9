"""Verifying built files: EPUBCheck, PDF checks, renderer comparison, Ace."""
