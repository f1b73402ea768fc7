"""The process wall: worker processes, their OS lockdown, and the protocol between them and the server.

Entry: ``WorkerPool`` (server side). A worker (``worker.py``) is forked by the zygote
(``app/zygote.py``), locks itself down (``lockdown.py``) and then runs programs through the
language wall, one at a time.
"""
