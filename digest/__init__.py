"""Signals -> e-mail for the burgemeester: the daily digest and immediate alerts."""
