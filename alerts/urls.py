from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("products/<int:product_id>/subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/<int:pk>/cancel/", views.unsubscribe, name="unsubscribe"),
]
