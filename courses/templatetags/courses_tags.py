from django import template

from ..models.catalog import catalog_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def catalog_url(context):
    """URL of the site's course catalog, or "" when there is none."""
    request = context.get("request")
    if request is None:
        return ""
    catalog = catalog_for_request(request)
    return catalog.get_url(request) if catalog else ""
