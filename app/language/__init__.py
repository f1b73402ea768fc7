"""The language wall, which runs inside a worker: what a program may say and how big it may get.

Entry: ``compile_program`` (parse, size walk, check against the allowlist, rewrite, compile)
and ``Runtime`` (the only names a program sees and the guards its rewritten code calls),
with ``ProgramMode`` bounding every torch call's result before it is allocated.
"""
