"""One package per capability: router.py (thin), schemas.py, service.py, models.py."""
