"""Plain domain vocabulary shared by every layer: enums, errors, value types.

Nothing here imports Qt, SQLAlchemy or touches the clock.
"""
