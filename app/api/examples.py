"""GET /api/examples: the example gallery."""

from __future__ import annotations

from fastapi import APIRouter

from app.examples import load_examples
from app.schemas import ExampleOut, LocalizedText

router = APIRouter(prefix="/api", tags=["examples"])


@router.get("/examples", response_model=list[ExampleOut])
async def list_examples() -> list[ExampleOut]:
    """The gallery of example programs, titled in English and Chinese."""
    return [
        ExampleOut(
            id=example.id,
            title=LocalizedText(en=example.title_en, zh=example.title_zh),
            description=LocalizedText(en=example.description_en, zh=example.description_zh),
            code=example.code,
        )
        for example in load_examples()
    ]
