"""Helpers shared by the bots tests: sample code and the error-envelope assertion."""

from __future__ import annotations

from typing import Any

CODE_V1 = "import sys\n\nfor line in sys.stdin:\n    print('MOVE 0 1 1')\n"
CODE_V2 = "import sys\n\nfor line in sys.stdin:\n    print('MOVE 0 5 5')\n"
CODE_V3 = "import sys\n\nfor line in sys.stdin:\n    print('MOVE 0 5 5 | SPEED 0')\n"


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is the one error envelope with this status and code; returns the error."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["details"], dict)
    return dict(error)
