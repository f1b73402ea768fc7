"""The drawing: a graph's DOT and SVG. Nothing here imports torch.

The server's side is ``drawing_pool.py`` (warm drawing processes, one deadline); the drawing
itself (``to_dot`` and ``to_svg`` in ``render.py``) runs in those processes.
"""
