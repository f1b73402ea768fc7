"""The walk, which runs in the worker: what PyTorch recorded while a program ran, as plain data.

Entry: ``GraphRecorder`` (watches torch calls and backward passes) and ``extract`` (recorder
+ program namespace -> ``Graph``).
"""
