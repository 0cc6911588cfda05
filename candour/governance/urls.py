from django.urls import path

from candour.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/export/<slug:table>.<str:fmt>", views.export_table, name="export"),
    path("<slug:slug>/oversight/", views.oversight, name="oversight"),
    path("<slug:slug>/oversight/export.<str:fmt>", views.oversight_export, name="oversight-export"),
    path("<slug:slug>/oversight/thresholds/", views.thresholds, name="thresholds"),
    path("<slug:slug>/reviews/", views.reviews, name="reviews"),
    path("<slug:slug>/reviews/body/", views.body, name="body"),
    path("<slug:slug>/reviews/new/", views.record_review, name="record-review"),
    path("<slug:slug>/reviews/<int:pk>/", views.review_detail, name="review"),
    path("<slug:slug>/decisions/<int:pk>/", views.decision, name="decision"),
    path("<slug:slug>/volumes/", views.volumes, name="volumes"),
    path("<slug:slug>/pack/", views.pack, name="pack"),
    path("<slug:slug>/pack.pdf", views.pack_pdf, name="pack-pdf"),
]
