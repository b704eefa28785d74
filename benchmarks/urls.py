"""The app's URLs plus a bare view: the baseline every page is measured against."""

from django.http import HttpResponse
from django.urls import path

from creekside.urls import urlpatterns as app_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]
