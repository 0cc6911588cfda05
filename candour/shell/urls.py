from django.urls import path

from candour.shell import views

app_name = "shell"

public_urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("feedback/", views.feedback, name="feedback"),
]

staff_urlpatterns = [
    path("", views.staff_home, name="home"),
]
