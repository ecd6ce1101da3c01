"""Valid HTML on every page the browser tests see: the Nu HTML Checker, run once.

Each page state the journeys check with axe is also kept (``keep``) as the HTML the
browser has; when the session ends, ``validate`` runs vnu (npm ``vnu-jar``, on the
machine's Java) once over every kept file and names each error with its page.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing_tools() -> str | None:
    """Why vnu cannot run here, or None."""
    if shutil.which("java") is None:
        return (
            "java is missing: the HTML check (vnu) needs a Java runtime; install one "
            "(apt-get install default-jre-headless, or make browser). It never skips."
        )
    if not VNU_JAR.is_file():
        return f"{VNU_JAR} is missing: run npm ci (make setup) to install vnu-jar."
    return None


@dataclass
class KeptPages:
    """The HTML of each page state checked, in the order the journeys saw them."""

    folder: Path
    names: dict[str, str] = field(default_factory=dict)

    def keep(self, name: str, html: str) -> None:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.folder / f"{len(self.names) + 1:03d}-{slug}.html"
        path.write_text(html, encoding="utf-8")
        self.names[path.resolve().as_uri()] = name

    def validate(self) -> list[str]:
        """Run vnu once over every kept page; one line per error, naming the page."""
        if not self.names:
            return []
        files = sorted(self.folder.glob("*.html"))
        done = subprocess.run(  # noqa: S603 - the checker the project pins, on our own files
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, files)],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        try:
            messages = json.loads(done.stdout)["messages"]
        except (json.JSONDecodeError, KeyError):
            return [f"vnu did not answer in JSON (exit {done.returncode}): {done.stderr[:500]}"]
        problems = []
        for message in messages:
            if message["type"] not in ("error", "non-document-error"):
                continue
            url = message.get("url", "")
            page = self.names.get(url) or self.names.get(_as_uri(url), url)
            line = message.get("lastLine", "?")
            problems.append(f"{page} (line {line}): {message['message']}")
        return problems


def _as_uri(url: str) -> str:
    # vnu writes file:/tmp/x.html; Path.as_uri() writes file:///tmp/x.html.
    return url.replace("file:/", "file:///", 1) if not url.startswith("file:///") else url


# The session's kept pages, set by tests/e2e/conftest.py for ``Journey.check``.
KEPT: KeptPages | None = None
