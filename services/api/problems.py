"""RFC 9457 problem details (application/problem+json), titled in Chinese or English."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from starlette.requests import HTTPConnection

from services.api.i18n import language

PROBLEM_MEDIA_TYPE = "application/problem+json"

# slug → (status, Chinese title, English title)
PROBLEM_TYPES: dict[str, tuple[int, str, str]] = {
    "bad-request": (400, "请求格式错误", "Bad request"),
    "unauthorized": (401, "未认证", "Unauthorized"),
    "forbidden": (403, "无权访问", "Forbidden"),
    "not-found": (404, "资源不存在", "Not found"),
    "method-not-allowed": (405, "不支持的请求方法", "Method not allowed"),
    "conflict": (409, "与当前状态冲突", "Conflict"),
    "precondition-failed": (412, "前提条件不满足", "Precondition failed"),
    "payload-too-large": (413, "请求体过大", "Payload too large"),
    "unsupported-media-type": (415, "不支持的媒体类型", "Unsupported media type"),
    "validation-error": (422, "数据校验失败", "Validation error"),
    "precondition-required": (428, "需要前提条件", "Precondition required"),
    "too-many-requests": (429, "请求过于频繁", "Too many requests"),
    "internal-error": (500, "服务器内部错误", "Internal server error"),
    "service-unavailable": (503, "服务暂时不可用", "Service unavailable"),
}


class Problem(Exception):
    """An HTTP-level refusal raised at the edge (routers, dependencies, middleware) — never in the domain."""

    def __init__(
        self,
        slug: str,
        en: str,
        zh: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(en)
        self.slug = slug
        self.status = PROBLEM_TYPES[slug][0]
        self.en = en
        self.zh = zh or en
        self.headers = headers or {}
        self.extra = extra


def problem_body(
    request: HTTPConnection, slug: str, detail_en: str, detail_zh: str, **extra: Any
) -> dict[str, Any]:
    status, title_zh, title_en = PROBLEM_TYPES[slug]
    en = language(request) == "en"
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title_en if en else title_zh,
        "status": status,
        "detail": detail_en if en else detail_zh,
        "instance": request.url.path,
    }
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def problem_response(
    request: HTTPConnection,
    slug: str,
    detail_en: str,
    detail_zh: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = problem_body(request, slug, detail_en, detail_zh or detail_en, **extra)
    return JSONResponse(body, status_code=body["status"], headers=headers, media_type=PROBLEM_MEDIA_TYPE)
