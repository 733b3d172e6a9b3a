"""Battle API views."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from battles.selectors import storage_info_get


class StorageInfoApi(APIView):
    """Which storage backends this server uses, so operators and tests can check the truth."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "StorageInfo",
            {
                "database": serializers.DictField(child=serializers.CharField()),
                "cache": serializers.DictField(child=serializers.CharField()),
                "live_battles": serializers.DictField(),
                "finished_battles": serializers.DictField(child=serializers.CharField()),
            },
        )
    )
    def get(self, request: Request) -> Response:
        return Response(storage_info_get())
