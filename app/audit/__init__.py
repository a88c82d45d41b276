"""The administrators' audit log: who changed what, and when."""
