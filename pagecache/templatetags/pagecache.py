from django import template
from django.utils.safestring import mark_safe

from pagecache.pages import PERSONAL_VALUES, leaves_personal_parts_out, slot

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, template_name: str) -> str:
    """Render a personal part of a page: `{% personal "base.html#account_nav" %}`.

    Like an include, except while the page is being rendered for a shared copy: then it
    leaves a marker, and pagecache.pages renders the part for each visitor instead. The
    part must need nothing but what the request gives (user, session, messages, cart).
    """
    request = context.get("request")
    if leaves_personal_parts_out(request):
        return mark_safe(slot(request, f"personal:{template_name}"))
    return context.template.engine.get_template(template_name).render(context)


@register.simple_tag(takes_context=True)
def personal_value(context, name: str) -> str:
    """Show a personal value registered with pagecache.pages.personal_value:
    `{% personal_value "cart_count" %}`. In a shared copy, a slot filled in per request."""
    request = context.get("request")
    if leaves_personal_parts_out(request):
        return mark_safe(slot(request, f"value:{name}"))
    return PERSONAL_VALUES[name](request)
