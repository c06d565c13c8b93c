"""Django REST framework and the OpenAPI schema for the app API."""

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vault app API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

REST_FRAMEWORK.update(
    {
        "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
        "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.DeviceTokenAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsAuthorizedDevice"],
        # DRF's throttles, read with core.ratelimit.rate_parse: the portal's "count/period" format.
        "DEFAULT_THROTTLE_RATES": {
            "api_signup_ip": "10/h",
            "api_signin_ip": "30/m",
            "api_signin_email": "10/m",
            "api_verify_device": "10/m",
            # Pre-login comes before every sign-in, web or app: a little above the sign-in limits.
            "api_prelogin_ip": "60/m",
            "api_prelogin_email": "20/m",
        },
    }
)
SPECTACULAR_SETTINGS.update(
    {
        "DESCRIPTION": 'What the vault apps call. Errors are always `{"error": code, "detail": text}`.',
        # Swagger UI's files come from drf-spectacular-sidecar, served by api/urls.py from our own
        # origin (the CSP allows no CDN); the split view keeps the page free of inline scripts.
        "SWAGGER_UI_DIST": "/api/v1/docs/assets/swagger-ui-dist",
        "SWAGGER_UI_FAVICON_HREF": "/api/v1/docs/assets/swagger-ui-dist/favicon-32x32.png",
        "COMPONENT_SPLIT_REQUEST": True,
        # Every response described, with examples per status, from the error catalogue.
        "POSTPROCESSING_HOOKS": [
            "drf_spectacular.hooks.postprocess_schema_enums",
            "api.schema.schema_document",
        ],
    }
)

# One-time ownership challenges live this long.
API_CHALLENGE_TTL_SECONDS = 300
# Vault limits: one item's ciphertext, and live (not deleted) items per account.
API_VAULT_ITEM_MAX_BYTES = 64 * 1024
API_VAULT_MAX_ITEMS = 10_000
API_VAULT_PAGE_SIZE = 500
# The device list: every sign-out and sign-in again leaves a row, so it lists the signed-in
# devices first, then the most recently signed out, this many in all.
API_DEVICES_LISTED = 100
# Refuse an Encrypted Account Key whose Argon2id parameters are weaker than this.
API_QR_MIN_MEMORY_KIB = 19_456
API_QR_MIN_TIME_COST = 2
