"""PDF and CSV reports: the signed invigilation record and its verification.

May import invigilator_app.domain only (never Qt, SQLAlchemy, services, store or ui).
"""

from __future__ import annotations
