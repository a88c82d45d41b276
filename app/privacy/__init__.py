"""A person's data under the GDPR: export (right of access) and erasure (right to be forgotten)."""
