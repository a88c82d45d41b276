"""The OpenAPI 3.1 document: the route table's operations plus the pydantic models' JSON schemas."""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.api.schemas import Error
from app.api.tokens import Scope
from app.permissions import Action

REF = "#/components/schemas/{model}"
ERROR_TEXT = {400: "Invalid input (the fields that are wrong are listed)", 401: "No token or an invalid one",
              403: "The token lacks the scope, or its owner must first replace a temporary password", 404: "Not found, or not yours to see",
              413: "Body larger than 1 MB (files: larger than the upload limit, or more than 5)", 429: "Too many failed token attempts from this client",
              503: "Search unavailable"}


UPLOAD_BODY = {
    "type": "object", "required": ["files"],
    "properties": {"files": {
        "type": "array", "minItems": 1, "maxItems": 5, "items": {"type": "string", "contentMediaType":
                                                                  "application/octet-stream"},
        "description": "One to five files, each at most UPLOAD_MAX_MB (25 MB by default); accepted by their "
                       "sniffed content as on the pages: PDF, images, zip and office documents, plain text"}},
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # Starlette's form: /tickets/{ref}, /attachments/{attachment_id:id}
    endpoint: Any
    action: Action
    scope: Scope | None
    summary: str
    response: type[BaseModel] | None  # None: a file
    status: int = 200
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    errors: tuple[int, ...] = (401, 403, 404, 429)
    upload: bool = False  # a multipart/form-data body of files, not JSON

    @property
    def openapi_path(self) -> str:
        return "/".join(part.split(":")[0] + "}" if part.startswith("{") and ":" in part else part
                        for part in self.path.split("/"))


def _schemas(operations: list[Operation]) -> dict[str, Any]:
    models = {Error}
    for op in operations:
        models.update(m for m in (op.response, op.query, op.body) if m is not None)
    pairs = [(m, "validation" if any(m in (op.query, op.body) for op in operations) else "serialization")
             for m in sorted(models, key=lambda m: m.__name__)]
    _keys, document = models_json_schema(pairs, ref_template=REF)
    return document.get("$defs", {})


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params = [{"name": part.strip("{}").split(":")[0], "in": "path", "required": True,
               "schema": {"type": "integer"} if ":id" in part else {"type": "string"}}
              for part in op.path.split("/") if part.startswith("{")]
    if op.body is not None:
        params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                       "description": "Sent again with the same key, the call creates nothing new and answers "
                                      "what the first call created",
                       "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"}})
    if op.query is not None:
        schema = op.query.model_json_schema(ref_template=REF)
        required = set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            params.append({"name": name, "in": "query", "required": name in required,
                           "description": prop.get("description", ""), "schema": prop})
    return params


def _operation(op: Operation) -> dict[str, Any]:
    success: dict[str, Any] = {"description": op.summary}
    if op.response is None:
        success["content"] = {"application/octet-stream": {"schema": {"type": "string", "contentEncoding": "binary"}}}
    else:
        success["content"] = {"application/json": {"schema": _ref(op.response)}}
    errors = op.errors if op.scope is not None else ()
    responses = {str(op.status): success, **{
        str(code): {"description": ERROR_TEXT[code], "content": {"application/json": {"schema": _ref(Error)}}}
        for code in sorted({*errors, *((400, 413) if op.body or op.upload else ()), *((400,) if op.query else ())})}}
    document: dict[str, Any] = {"operationId": op.endpoint.__name__, "summary": op.summary,
                                "parameters": _parameters(op), "responses": responses}
    if op.scope is not None:
        document["security"] = [{"token": []}]
        document["description"] = f"Token scope: `{op.scope.value}`."
    else:
        document["security"] = []
    if op.body is not None:
        document["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(op.body)}}}
    if op.upload:
        document["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": UPLOAD_BODY}}}
    return document


def build_document(operations: list[Operation], server: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.openapi_path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sportello API", "version": "1",
                 "description": "Tickets, comments, files, knowledge base and search, with the same rules as the "
                                "portal's pages: what the token's owner may not see answers 404."},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": _schemas(operations),
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                                     "description": "A personal token from My preferences"}}},
        "security": [{"token": []}],
    }
