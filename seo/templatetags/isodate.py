from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso_datetime(value) -> str:
    """A `<time datetime>` value: ISO 8601 to the second, with its UTC offset.

    Django's `date:"c"` keeps microseconds, which HTML does not allow (at most three digits of
    a fraction), so the Nu HTML checker rejects it.
    """
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()
