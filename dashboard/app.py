"""Minimal placeholder replaced below."""
