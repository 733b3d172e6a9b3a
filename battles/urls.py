from __future__ import annotations

from django.urls import path

from battles.apis import StorageInfoApi

urlpatterns = [
    path("storage/info", StorageInfoApi.as_view(), name="storage-info"),
]
