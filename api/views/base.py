"""What every view of the app API shares: the error responses of the schema and input parsing."""

from drf_spectacular.utils import OpenApiResponse

from ..serializers import ErrorSerializer

ERRORS = {code: OpenApiResponse(ErrorSerializer) for code in (400, 401, 403, 404, 409, 413, 422, 429)}


def parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
