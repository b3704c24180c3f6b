"""The intermediate page of an admin action that asks for something before it acts (the units
that arrived, a carrier, an amount): templates/admin/action_form.html, which each such page
extends, and the context it needs."""

from django.contrib.admin import ModelAdmin, helpers
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse


def action_form(
    model_admin: ModelAdmin, request: HttpRequest, template: str, *, selected, form, **context
) -> TemplateResponse:
    """`template` (extending admin/action_form.html) for the `selected` objects and `form`."""
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "selected": selected,
            "form": form,
            "changelist": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **context,
        },
    )
