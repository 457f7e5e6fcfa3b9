"""axe-core in headless Chromium: the accessibility violations of an HTML report (issue 12 item 9).

The report is copied with axe-core inlined and a small script that writes axe's violations into the page;
Chromium runs it offline (``--dump-dom`` after a virtual-time budget) and the violations are read back. Nothing is
fetched: axe-core comes from npm (``python dev.py test`` installs it into ``.venv/axe-core`` when npm is there)
and the report makes no outside requests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AXE_CANDIDATES = [REPO / ".venv" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js",
                  REPO / "node_modules" / "axe-core" / "axe.min.js"]
RUN_AXE = """<script>%s</script><script>
axe.run(document, {resultTypes: ["violations"]}).then(function (result) {
  var out = document.createElement("pre");
  out.id = "axe-result";
  out.textContent = JSON.stringify(result.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length};
  }));
  document.body.appendChild(out);
});
</script>"""


def browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def axe_script() -> Path | None:
    return next((p for p in AXE_CANDIDATES if p.is_file()), None)


def violations(html: str) -> list[dict]:
    """axe-core's violations for one HTML page (a list of ``{id, impact, help, nodes}``)."""
    page = html.replace("</body>", RUN_AXE % axe_script().read_text(encoding="utf-8") + "</body>")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        done = subprocess.run([browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-background-networking", "--disable-component-update", "--disable-sync",
                               f"--user-data-dir={folder}/profile", "--virtual-time-budget=30000", "--dump-dom",
                               path.as_uri()], capture_output=True, text=True, timeout=180)
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', done.stdout, re.S)
    if not found:
        raise RuntimeError(f"axe-core did not report (Chromium exit {done.returncode}): {done.stderr[-500:]}")
    text = found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return json.loads(text)
