"""Deprecated: the old home of the scanner, the doctor, rotation and log redaction.

They now live in ``trellolens.scan``, ``trellolens.doctor``, ``trellolens.rotation`` and
``trellolens.credentials.redaction``. Only ``trellolens.guard.redaction``, which the README
documented for library users, is kept, as a re-export that warns; it goes in a later release.
"""
