import functools

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from cledss.clinical.visuals import DoseChart, ForestPlot, IconArray

from .. import graphics

register = template.Library()


@register.simple_tag(takes_context=True)
def picture(context, visual: IconArray | ForestPlot | DoseChart, section: str, number: int) -> SafeString:
    """Draw one evidence picture as inline SVG with a text alternative that repeats its numbers.

    Each kind of picture has a template of its own; the dose chart's is apart from picture.html. The
    assessment goes along so that a caption cites its source by number into the page's reference list.
    """
    key = f"{section}-picture-{number}"
    cited = {"assessment": context["assessment"], "key": key}
    if isinstance(visual, DoseChart):
        return render_to_string("web/includes/dose_chart.html", {**cited, **_dose_chart(visual)})
    return render_to_string("web/includes/picture.html", {**cited, **_figure(visual)})


@register.simple_tag
def icon_array(visual: IconArray, section: str, number: int) -> SafeString:
    """Only the icon array's SVG, titled and described as on the result page, each person drawn on its own (see
    graphics.icon_people), for a caption of the page's own."""
    return _drawn_people(visual, f"{section}-picture-{number}", get_language())


# The same people are drawn for every patient shown that finding, and Django's templates take milliseconds over a
# hundred circles: each drawing is made once per language (a few hundred at most, none about a patient).
@functools.lru_cache(maxsize=512)
def _drawn_people(visual: IconArray, key: str, language: str) -> SafeString:
    return render_to_string("web/includes/icon_array.html", {"key": key, "visual": visual, "people": graphics.icon_people(visual)})


def _figure(visual: IconArray | ForestPlot) -> dict:
    if isinstance(visual, IconArray):
        return {
            "kind": "icons", "visual": visual, "blocks": graphics.icon_blocks(visual),
            "pitch": graphics.ICON_PITCH, "centre": graphics.ICON_PITCH / 2,
        }
    rows = graphics.forest_rows(visual)
    axis_y = graphics.ROW_HEIGHT * (len(rows) + 1) - 8
    # Under the axis: the ticks, then which way is higher odds, then the axis's name, a line each.
    return {
        "kind": "forest",
        "visual": visual,
        "rows": rows,
        "ticks": graphics.forest_ticks(),
        "no_effect": graphics.log_x(graphics.NO_EFFECT),
        "height": axis_y + 4 * graphics.TEXT_LINE,
        "axis_y": axis_y,
        "ticks_y": axis_y + graphics.TEXT_LINE,
        "direction_y": axis_y + 2 * graphics.TEXT_LINE,
        "axis_label_y": axis_y + 3 * graphics.TEXT_LINE,
        "left": graphics.PLOT_LEFT,
        "right": graphics.PLOT_LEFT + graphics.PLOT_WIDTH,
    }


def _dose_chart(chart: DoseChart) -> dict:
    rows = graphics.dose_rows(chart)
    axis_y = graphics.DOSE_ROW * len(rows) + 4
    return {
        "chart": chart,
        "rows": rows,
        "ticks": graphics.dose_ticks(chart),
        "reference_x": graphics.DOSE_LEFT,
        "axis_y": axis_y,
        "height": axis_y + 20,
        "width": graphics.DOSE_CANVAS,
        "right": graphics.DOSE_LEFT + graphics.DOSE_WIDTH,
    }
