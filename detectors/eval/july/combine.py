"""Join the two writers' halves of the July timeline set (r/, s/) into posts.jsonl and
events.jsonl, with the fresh set's combine()."""

import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent
runpy.run_path(str(HERE.parent / "fresh" / "combine.py"))["combine"](HERE, ("r", "s"))
