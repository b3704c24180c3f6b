from django.urls import path

from . import views

# Under /admin/dashboard/ (storefront/urls.py); the dashboard itself is the admin's first page.
app_name = "dashboard"

urlpatterns = [
    path("products/<int:product_id>/restock/", views.restock, name="restock"),
    path("mail/<int:email_id>/resend/", views.resend, name="resend"),
    path("mail/resend-failed/", views.resend, name="resend_failed"),
    path("reports/orders/", views.orders_csv, name="orders_csv"),
    path("packing-slips/", views.packing_slips, name="packing_slips"),
]
