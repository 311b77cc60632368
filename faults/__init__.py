"""The fault suite: `make faults` (faults/run.py)."""
