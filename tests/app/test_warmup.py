"""The page imports load in the background of a fresh process."""

from __future__ import annotations

import subprocess
import sys

from app_streamlit.warmup import PAGE_MODULES


def test_the_warmup_thread_imports_every_page_module_once():
    script = (
        "import sys\n"
        "from app_streamlit.warmup import PAGE_MODULES, start_once\n"
        "assert 'research.analysis.precursors' not in sys.modules\n"
        "thread = start_once()\n"
        "assert start_once() is thread\n"
        "thread.join(120)\n"
        "missing = [m for m in PAGE_MODULES if m not in sys.modules]\n"
        "print(missing)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180, check=True)
    assert result.stdout.strip() == "[]"
    assert "research.analysis.precursors" in PAGE_MODULES
