"""Leak prevention and hygiene: the secret scanner, the doctor, and log redaction."""
