import json

from core.errors import error_body, error_response


def test_error_body_is_code_detail_and_extras():
    assert error_body("rate_limited", "Try later.") == {"error": "rate_limited", "detail": "Try later."}
    assert error_body("x", "y", retry=3) == {"error": "x", "detail": "y", "retry": 3}


def test_error_response_is_json_with_status():
    response = error_response("not_found", "Nothing here.", status=404)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"error": "not_found", "detail": "Nothing here."}
