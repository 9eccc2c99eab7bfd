"""The fenced code blocks of the README, for the tests that run what it shows."""
import os
import re

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme_blocks(source_dir, language):
    """The README's ```LANGUAGE blocks, in order, as text."""
    with open(os.path.join(source_dir, "README.md"), encoding="utf-8") as readme:
        return [text for lang, text in FENCE.findall(readme.read()) if lang == language]


def readme_block(source_dir, language, containing):
    """The one ```LANGUAGE block whose text contains CONTAINING."""
    matches = [text for text in readme_blocks(source_dir, language) if containing in text]
    if len(matches) != 1:
        raise AssertionError(f"README.md has {len(matches)} ```{language} blocks with {containing!r}, not one")
    return matches[0]
