from django import template

from cledss.clinical.visuals import ForestPlot, IconArray

from .. import graphics

register = template.Library()


@register.inclusion_tag("assessment/includes/picture.html", takes_context=True)
def picture(context, visual: IconArray | ForestPlot, section: str, number: int):
    """Draw one evidence picture as inline SVG with a text alternative that repeats its numbers."""
    key = f"{section}-picture-{number}"
    if isinstance(visual, IconArray):
        return {
            "assessment": context["assessment"], "kind": "icons", "visual": visual, "key": key,
            "blocks": graphics.icon_blocks(visual),
            "pitch": graphics.ICON_PITCH, "centre": graphics.ICON_PITCH / 2,
        }
    rows = graphics.forest_rows(visual)
    return {
        "assessment": context["assessment"],
        "kind": "forest",
        "visual": visual,
        "key": key,
        "rows": rows,
        "ticks": graphics.forest_ticks(),
        "no_effect": graphics.log_x(graphics.NO_EFFECT),
        "height": graphics.ROW_HEIGHT * (len(rows) + 2),
        "axis_y": graphics.ROW_HEIGHT * (len(rows) + 1) - 8,
        "right": graphics.PLOT_LEFT + graphics.PLOT_WIDTH,
    }
