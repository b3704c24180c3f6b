from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("orders/<int:order_pk>/pay/", views.pay, name="pay"),
    path("<int:pk>/", views.payment_detail, name="payment_detail"),
    path("webhook/stripe/", views.stripe_webhook, name="stripe_webhook"),
]
