"""The label every machine answer carries, in its body and in a header: the one constant all interop uses."""

from cledss.clinical.assess import LABEL as LABEL_PHRASE

# Machine answers are always in English, the language their consumers parse.
LABEL = LABEL_PHRASE.message
LABEL_HEADER = "X-Cledss-Label"
