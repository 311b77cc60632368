"""Documents a council and a chairman sign: proposal lists, letters, decisions, certificates, reports."""
