"""The drawing, which runs in the server: a graph's DOT and SVG. Nothing here imports torch.

Entry: ``to_dot`` and ``to_svg`` in ``render.py``.
"""
