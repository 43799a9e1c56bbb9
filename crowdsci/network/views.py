from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "core/error.html", {"title": "Directory", "message": "Coming soon."})
