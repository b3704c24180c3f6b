from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.cache import never_cache

from . import views

# No app_name: Django's auth views reverse their neighbours ("password_reset_done", ...) by
# these bare names. Personal pages are never stored by a browser or proxy (never_cache:
# Cache-Control private, no-store); Django's sign-in and reset views already say so.
urlpatterns = [
    path("", views.account, name="account"),
    path("edit/", views.account_edit, name="account_edit"),
    path("signup/", views.signup, name="signup"),
    path("signup/check/<slug:field_name>/", views.signup_check, name="signup_check"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("verify-again/", views.verification_resend, name="verification_resend"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path(
        "password/change/",
        never_cache(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/change/done/",
        never_cache(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
