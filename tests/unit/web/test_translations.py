"""The console's Chinese: one .po file per area, merged into one catalogue, so a
message two areas both translate must mean the same in both, and every message
a template asks for exists in Chinese."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from babel.messages.pofile import read_po

from web.i18n import LOCALE_DIR, gettext

TEMPLATES = Path(LOCALE_DIR).parent / "templates"
# _("...") in a template with a literal English message.
ASKED = re.compile(r"""_\(\s*(['"])((?:(?!\1).)+)\1\s*[,)]""")


def _catalogues() -> dict[str, dict[str, str]]:
    out = {}
    for po in sorted((LOCALE_DIR / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            out[po.name] = {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}
    return out


def test_no_two_areas_translate_one_message_differently() -> None:
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, catalogue in _catalogues().items():
        for msgid, text in catalogue.items():
            seen[msgid][text].append(name)
    clashes = {msgid: dict(texts) for msgid, texts in seen.items() if len(texts) > 1}
    assert not clashes, f"one message, two translations (rename one msgid): {clashes}"


def test_every_message_a_template_asks_for_is_in_chinese() -> None:
    missing = set()
    for template in TEMPLATES.rglob("*.html"):
        for _, message in ASKED.findall(template.read_text(encoding="utf-8")):
            if "{{" in message or not re.search(r"[A-Za-z]", message):
                continue
            if gettext("zh_CN", message) == message:
                missing.add(f"{template.relative_to(TEMPLATES)}: {message}")
    assert not missing, "untranslated:\n" + "\n".join(sorted(missing))


def test_no_translation_is_empty() -> None:
    empty = [f"{name}: {msgid}" for name, cat in _catalogues().items() for msgid, text in cat.items() if not text]
    assert not empty, empty
