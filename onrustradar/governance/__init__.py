"""Governance: who may see and do what (access), the FG's approvals of keyword terms, the
tamper-evident audit trail, data-subject requests and signal exports. Uses only core."""
