"""The one API of the application: the GUI, the command line and the tests call these.

One use case per function, one transaction per call, role checks inside, errors as
typed exceptions from invigilator_app.domain.errors.
"""
