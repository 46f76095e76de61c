"""Start the app: ``disclosure app [--port P] [--host H]``.

Runs ``streamlit run app_streamlit/main.py`` in a subprocess, headless, with
usage statistics off and the data folder fixed to an absolute path, so the
app reads the same store as the command line that started it. The server
address is always set explicitly: with a wildcard host Streamlit would
otherwise look up the machine's external IP over the network.
"""

from __future__ import annotations

import os
import subprocess
import sys

from research.paths import data_home

MAIN_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "main.py")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8501
WILDCARD_HOSTS = ("0.0.0.0", "::", "")  # noqa: S104 - what a user may pass to listen everywhere

# Privacy and offline settings, as flags (they win over any config file).
STREAMLIT_FLAGS = {
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "global.developmentMode": "false",
    "client.toolbarMode": "minimal",
}


def browser_address(host: str) -> str:
    return "localhost" if host in WILDCARD_HOSTS else host


def app_url(host: str, port: int) -> str:
    address = browser_address(host)
    return f"http://[{address}]:{port}/" if ":" in address else f"http://{address}:{port}/"


def streamlit_command(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    flags = {**STREAMLIT_FLAGS, "server.address": host, "server.port": str(port),
             "browser.serverAddress": browser_address(host), "browser.serverPort": str(port)}
    return [sys.executable, "-m", "streamlit", "run", MAIN_SCRIPT,
            *(f"--{name}={value}" for name, value in flags.items())]


def app_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env["DISCLOSURE_HOME"] = str(data_home())  # absolute: the app sees the same data folder
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def start(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, **popen_kwargs) -> subprocess.Popen:
    """The app as a child process (the caller waits for or stops it)."""
    check_layout()
    return subprocess.Popen(streamlit_command(host, port), env=app_environment(), **popen_kwargs)


class LegacyPagesFolderError(RuntimeError):
    """``app_streamlit/pages/`` exists: Streamlit would bypass main.py."""


def check_layout() -> None:
    legacy = os.path.join(os.path.dirname(MAIN_SCRIPT), "pages")
    if os.path.isdir(legacy):
        raise LegacyPagesFolderError(
            f"{legacy}: a folder named 'pages' beside main.py makes Streamlit skip main.py (and with it the "
            "login and the navigation table); move its page files to app_streamlit/app_pages/")


def run(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Serve until interrupted; returns Streamlit's exit code."""
    check_layout()
    print(f"disclosure app: {app_url(host, port)}  (data: {data_home()})", file=sys.stderr, flush=True)
    process = start(host, port)
    try:
        return process.wait()
    except KeyboardInterrupt:  # Ctrl-C reached the child too; let it finish
        return process.wait()
