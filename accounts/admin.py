from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .forms import AdminSignInForm
from .models import Customer, User

# The admin's sign-in counts failures through the same signal as the shop's; it must refuse a
# locked-out username too, or it would be the way around the lockout.
admin.site.login_form = AdminSignInForm


# A profile's fields in the account page's order: the address's, inherited, would come first.
PROFILE_FIELDS = ["display_name", "phone", *Customer.ADDRESS_FIELDS, "created_at", "updated_at"]


class CustomerInline(admin.StackedInline):
    model = Customer
    can_delete = False  # every user has exactly one profile; pages would only recreate it
    readonly_fields = ["created_at", "updated_at"]
    fields = PROFILE_FIELDS


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [CustomerInline]
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        # On the add page the post_save receiver creates the profile as the user is saved;
        # an inline there would then insert a second one and fail with "UNIQUE constraint
        # failed". Django opens the change page right after adding, with the inline.
        return self.inlines if obj else []


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "user__email", "city", "country", "updated_at"]
    list_select_related = ["user"]
    search_fields = [
        "display_name",
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
    ]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]
    fields = ["user", *PROFILE_FIELDS]
