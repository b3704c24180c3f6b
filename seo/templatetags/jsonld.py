import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As Django's json_script: characters that could end the <script> element or open a comment
# inside it are written as JSON escapes, so no product name can break out of the data block.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict) -> str:
    """Structured data for search engines: `{% json_ld product_data %}`.

    A `<script type="application/ld+json">` data block: browsers never run it, so the strict
    CSP (script-src 'self') needs no exception for it.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
