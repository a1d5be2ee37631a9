from cledss.clinical.assess import LABEL


def label(request):
    """The 'informational, not a prescribing tool' label, for every page."""
    return {"informational_label": LABEL}
