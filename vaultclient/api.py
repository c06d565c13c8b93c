"""HTTP calls to the app API; every error becomes an ApiError with the server's code and detail."""

import requests


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str, body: dict | None = None):
        super().__init__(f"{code}: {detail}")
        self.status, self.code, self.detail, self.body = status, code, detail, body or {}


class Api:
    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/") + "/api/v1/"
        self.token = token
        self.timeout = timeout
        self.session = requests.Session()

    def call(self, method: str, path: str, *, json: dict | None = None, params: dict | None = None) -> dict:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        response = self.session.request(
            method, self.base_url + path, json=json, params=params, headers=headers, timeout=self.timeout
        )
        try:
            body = response.json()
        except ValueError:
            body = {
                "error": "bad_response",
                "detail": f"The server answered {response.status_code} without JSON.",
            }
        if response.status_code >= 400:
            raise ApiError(response.status_code, body.get("error", "error"), body.get("detail", ""), body)
        return body
