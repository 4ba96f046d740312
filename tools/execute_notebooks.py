"""Re-execute notebooks in place, in a clean kernel: the only way committed outputs are made.

    python tools/execute_notebooks.py notebooks/*.ipynb

Like `jupyter nbconvert --execute --inplace`, but the files it writes are stable, so a
re-run changes nothing and strict nbval passes on them unchanged:
  * no per-cell execution timestamps (record_timing=False);
  * no widget state or widget views (random model ids) are kept: an explorer's cell is
    saved empty, and the static figure before it is what a reader without a kernel sees;
  * consecutive stream outputs are merged, however the kernel happened to chunk them, and a
    line rewritten with carriage returns (a progress bar) is saved as it finally reads;
  * the kernelspec is "python3", the name nbval, JupyterLab and Binder all resolve;
  * the kernel talks over IPC sockets: no TCP port to race for, no plain-text warning;
  * cells tagged "raises-exception" may raise (they show our error messages); the tag, not
    nbval's "# NBVAL_RAISES_EXCEPTION" comment, because JupyterLab's Run All stops at a
    failing cell unless it carries the tag (nbval honours the tag too);
  * cells marked "# NBVAL_SKIP" are not run and keep their old outputs.
"""
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def marked(cell, marker):
    """True when a line of the cell is exactly the nbval marker comment."""
    return any(line.strip().lstrip("#").strip() == marker for line in cell.source.splitlines())


def tidy(outputs):
    """Drop widget views (they point at model ids that change every run) and merge
    consecutive stream outputs of the same name."""
    out = []
    for o in outputs:
        if WIDGET_VIEW in o.get("data", {}):
            continue
        if (o.output_type == "stream" and out and out[-1].output_type == "stream"
                and out[-1].name == o.name):
            out[-1].text += o.text
        else:
            out.append(o)
    for o in out:
        if o.output_type == "stream":
            o.text = "\n".join(line.rsplit("\r", 1)[-1] for line in o.text.split("\n"))
    return out


def execute(path):
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = KERNELSPEC
    skipped = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if marked(cell, "NBVAL_RAISES_EXCEPTION"):
            raise SystemExit(f"{path}: cell {i} uses '# NBVAL_RAISES_EXCEPTION'; tag it "
                             "'raises-exception' instead (Run All in JupyterLab stops otherwise)")
        if marked(cell, "NBVAL_SKIP"):
            skipped[i] = cell
            nb.cells[i] = nbformat.v4.new_raw_cell(cell.source)      # keep indices, don't run
    # IPC sockets, not TCP ports: kernels started side by side cannot race for a port
    with tempfile.TemporaryDirectory() as sockets:
        config = Config()
        config.KernelManager.transport, config.KernelManager.ip = "ipc", f"{sockets}/kernel"
        client = NotebookClient(nb, kernel_name="python3", config=config, timeout=180,
                                record_timing=False,
                                resources={"metadata": {"path": str(Path(path).parent)}})
        client.execute()
    for i, cell in skipped.items():
        nb.cells[i] = cell
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = tidy(cell.outputs)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        t0 = time.perf_counter()
        execute(p)
        print(f"executed {p} in {time.perf_counter() - t0:.1f} s", flush=True)
