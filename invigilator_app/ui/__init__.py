"""The Qt GUI. Talks to the store only through invigilator_app.services."""
