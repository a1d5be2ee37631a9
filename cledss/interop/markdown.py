"""Curated text in the Markdown that CDS Hooks cards and FHIR ``markdown`` elements carry.

Curators write plain text, and an EHR renders these fields as Markdown, which passes HTML through
and makes links of brackets; so the characters that open emphasis, code, links or HTML are escaped,
and the text reads on screen exactly as the curator wrote it.
"""


def escape(text: str) -> str:
    """Plain text made safe to drop into Markdown (no accidental emphasis, code, links or HTML)."""
    for char in "\\`*_[]<>":
        text = text.replace(char, f"\\{char}")
    return text
