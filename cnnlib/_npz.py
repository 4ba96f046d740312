"""The file of :meth:`Sequential.save` and :meth:`Sequential.load` (private): an .npz archive.

One rule for the file name, used by both: ``path`` (a str or a pathlib.Path) with ".npz"
added when it does not end in ".npz" (case-sensitive, as np.savez adds it); a directory,
or a name ending in a separator, is refused.  :class:`Archive` reads an archive the
careful way: it lists the members and reads each member's .npy header (shape, dtype)
without reading the array, so the caller checks them all before reading any; an array
is read only as large as its header says.
"""
import contextlib
import os
import zipfile
import zlib

from numpy.lib import format as npy

SUFFIX = ".npz"
MAX_HEADER = 10_000                 # bytes of a .npy header, numpy's own limit


def file_name(path):
    """The file save and load use for ``path``: str, with ".npz" added when missing."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"path must be a file name (a str or a pathlib.Path), got {path!r}")
    name = os.fsdecode(path)
    if not name:
        raise ValueError("path is empty: give a file name such as 'net.npz'")
    full = name if name.endswith(SUFFIX) else name + SUFFIX
    for candidate in (name, full):
        if candidate.endswith(("/", os.sep)) or os.path.isdir(candidate):
            raise ValueError(f"path {candidate!r} is a directory: give a file name, such as "
                             f"{os.path.join(candidate, 'net.npz')!r}")
    return full


class Archive:
    """An open .npz file: ``members`` (names without ".npy"), :meth:`header`, :meth:`read`.

    Every failure to read (not a zip, a plain .npy file, a member that is no .npy array,
    truncated or corrupted data) is a ValueError naming the file.  Use it in a ``with``.
    """

    def __init__(self, name):
        self.name = name
        try:
            self.file = open(name, "rb")
        except FileNotFoundError as err:
            raise FileNotFoundError(err.errno, f"no such parameter file (save and load add "
                                               f"{SUFFIX!r} to a name without it)", name) from err
        if self.file.read(6) == npy.MAGIC_PREFIX:
            self.close()
            raise ValueError(f"cannot read parameters from {name!r}: not a valid .npz file but "
                             f"a single .npy array (as np.save writes)")
        with self._reading():
            self.zip = zipfile.ZipFile(self.file)
        infos = self.zip.infolist()
        self.members = {i.filename[:-4]: i for i in infos if i.filename.endswith(".npy")}
        raw = [i.filename for i in infos if not i.filename.endswith(".npy")]
        if raw or len(self.members) != len(infos):
            self.close()
            raise ValueError(f"cannot read parameters from {name!r}: its members must be .npy "
                             f"arrays, each once; it holds {[i.filename for i in infos]}")

    @contextlib.contextmanager
    def _reading(self):
        try:
            yield
        except (OSError, EOFError, ValueError, KeyError, RuntimeError, NotImplementedError,
                zipfile.BadZipFile, zlib.error) as err:
            self.close()
            raise ValueError(f"cannot read parameters from {self.name!r}: not a valid .npz "
                             f"file, corrupted or truncated ({type(err).__name__}: {err})"
                             ) from err

    def header(self, member):
        """(shape, dtype) that ``member``'s .npy header declares; no array data is read."""
        with self._reading(), self.zip.open(self.members[member]) as fh:
            version = npy.read_magic(fh)
            if version == (2, 0):           # numpy reads a 2.0 header (up to 4 GB) before it
                length = int.from_bytes(fh.read(4), "little")        # checks its 10 kB limit
                if length > MAX_HEADER:
                    raise ValueError(f"member {member!r} declares a .npy header of {length} "
                                     f"bytes, more than {MAX_HEADER}")
                fh.seek(npy.MAGIC_LEN)
            elif version != (1, 0):         # 1.0: at most 65535 bytes
                raise ValueError(f"member {member!r} is a .npy file of version {version}")
            read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
            shape, _, dtype = read(fh, max_header_size=MAX_HEADER)
        return shape, dtype

    def read(self, member):
        """``member``'s array (no pickles): as large as its header, whatever the file holds."""
        with self._reading(), self.zip.open(self.members[member]) as fh:
            return npy.read_array(fh, allow_pickle=False)

    def close(self):
        if getattr(self, "zip", None) is not None:
            self.zip.close()
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
