"""Pure rule checks (SPEC.md rule ids): plain facts in, violations out.

No database, no Qt, no clock: callers pass the facts, the centre's zone name and, where
it matters, "now". See ``catalogue`` for the list of rules and ``plan.check_plan`` for the
entry point used by the services.
"""
