"""Key slots, recovery keys and the station identity."""
