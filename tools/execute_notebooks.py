"""Re-execute notebooks in place, in a clean kernel: the only way committed outputs are made.

    python tools/execute_notebooks.py notebooks/*.ipynb

Like `jupyter nbconvert --execute --inplace`, but the files it writes are stable, so a
re-run changes nothing and strict nbval passes on them unchanged.  nbclient does most of it
with its own options:
  * no per-cell execution timestamps (``record_timing=False``);
  * a cell's stream outputs merged however the kernel chunked them, and a line rewritten
    with carriage returns (a progress bar) saved as it finally reads (``coalesce_streams``);
  * cells tagged "nbval-skip" are not run and keep their old outputs
    (``skip_cells_with_tag``; nbval skips the same tag).
What is ours:
  * no notebook-level widget state with random model ids: dropped after the run.
    (``store_widget_state=False`` would say it, but nbclient 0.11 then fails on the
    explorers' Output widgets: its output hook writes into the state it did not keep,
    ``KeyError`` in ``output_widget.py``);
  * widget views (they point at model ids that change every run) are dropped, so an
    explorer's cell is saved empty and the static figure before it is what a reader without
    a kernel sees;
  * the kernelspec is "python3", the name nbval, JupyterLab and Binder all resolve;
  * the kernel talks over IPC sockets: no TCP port to race for, no plain-text warning;
  * figures are saved at twice their pixels (the inline backend's "retina" format: the PNG has
    2x the pixels and width/height metadata at 1x), so they stay the same size on a page and are
    sharp on a high-density screen; matplotlib's figure.dpi is unchanged, so the text outputs
    (``Figure(1000x320)``) and strict nbval's comparison do not change;
  * the nbval comment markers "# NBVAL_RAISES_EXCEPTION" and "# NBVAL_SKIP" are refused in
    favour of the tags "raises-exception" and "nbval-skip": JupyterLab's Run All stops at a
    failing cell unless it carries the tag, and nbclient skips by tag only.
"""
import argparse
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNEL_ARGS = ["--InlineBackend.figure_formats=retina"]
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
TAG_FOR = {"NBVAL_RAISES_EXCEPTION": "raises-exception", "NBVAL_SKIP": "nbval-skip"}


def marked(cell, marker):
    """True when a line of the cell is exactly the nbval marker comment."""
    return any(line.strip().lstrip("#").strip() == marker for line in cell.source.splitlines())


def refuse_markers(nb, path):
    """Stop on a cell that steers nbval with a comment where a tag is needed."""
    for i, cell in enumerate(nb.cells):
        for marker, tag in TAG_FOR.items():
            if cell.cell_type == "code" and marked(cell, marker):
                raise SystemExit(f"{path}: cell {i} uses '# {marker}'; tag it '{tag}' instead")


def execute(path):
    """Execute the notebook at ``path`` in a clean kernel and write it back in place."""
    nb = nbformat.read(path, as_version=4)
    refuse_markers(nb, path)
    nb.metadata["kernelspec"] = KERNELSPEC
    with tempfile.TemporaryDirectory() as sockets:
        config = Config()
        config.KernelManager.transport, config.KernelManager.ip = "ipc", f"{sockets}/kernel"
        client = NotebookClient(nb, kernel_name="python3", config=config, timeout=180,
                                extra_arguments=KERNEL_ARGS,
                                record_timing=False,
                                coalesce_streams=True, skip_cells_with_tag="nbval-skip",
                                resources={"metadata": {"path": str(Path(path).parent)}})
        client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files to execute")
    for path in parser.parse_args(argv).notebooks:
        t0 = time.perf_counter()
        execute(path)
        print(f"executed {path} in {time.perf_counter() - t0:.1f} s", flush=True)


if __name__ == "__main__":
    main()
