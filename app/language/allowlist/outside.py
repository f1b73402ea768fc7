"""What stays outside: modules a course program may import that do not run here, and why.

Each maps to the hint a student gets: files and processes (``os``, ``pickle``...), the
network and downloaded datasets (``torchvision``, ``urllib``...), the books' helper packages
(``d2l``), and modules teaching code does not need (delete the import).
"""

from __future__ import annotations

from app.hints import sandbox
from app.language.records import Library

_FILES = """os pathlib shutil glob io pickle shelve tempfile csv json sqlite3 h5py pandas PIL cv2
imageio scipy.io zipfile tarfile gzip"""
_NETWORK = """torchvision torchtext torchaudio datasets urllib requests http socket ssl
huggingface_hub transformers kaggle wget"""
_D2L = "d2l d2lzh_pytorch d2lzh"
_UNUSED = """subprocess multiprocessing threading signal ctypes importlib inspect gc
IPython logging platform argparse sklearn seaborn tensorboard
torch.utils.tensorboard"""

OUTSIDE = Library(
    name="outside",
    modules=(),
    refused={
        **dict.fromkeys(_FILES.split(), sandbox.FILES),
        **dict.fromkeys(_NETWORK.split(), sandbox.NETWORK),
        **dict.fromkeys(_D2L.split(), sandbox.D2L),
        **dict.fromkeys(_UNUSED.split(), sandbox.UNUSED_IMPORT),
        "tqdm": sandbox.PROGRESS_BARS,
    },
)
