"""Invigilation station: records and rules for invigilated online assessments."""

__version__ = "0.1.0"
