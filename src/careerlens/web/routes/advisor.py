"""Advisor: the questionnaire and a resume upload → fit, gaps, path with pay, plan, report.

Resumes are read in memory (``read_resume_bytes``) as the upload streams in under the size limit, sniffed by
their content, and never stored; the report download re-posts the advice itself, so nothing is kept between
requests.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError

from careerlens.advisor.models import Advice
from careerlens.errors import InputError, ResumeError
from careerlens.kb.questions import Questionnaire
from careerlens.normalize.geo import REGIONS
from careerlens.settings import Settings
from careerlens.web import charts
from careerlens.web.api_models import ERROR_RESPONSES, ErrorBody
from careerlens.web.deps import KBDep, SettingsDep, UploadLimited, feature
from careerlens.web.render import SOFT_ERRORS, clean, page
from careerlens.web.uploads import Form as UploadForm
from careerlens.web.uploads import read_form

api = APIRouter(prefix="/api/v1", tags=["advisor"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)

UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "the upload is over the size limit"},
    429: {"model": ErrorBody, "description": "too many uploads; see the Retry-After header"},
}
RESUME_FORM_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, DOCX, TXT or Markdown",
                        },
                        "answers": {
                            "type": "string",
                            "description": "questionnaire answers as a JSON object",
                        },
                        "target": {"type": "string", "description": "role to plan for (default: best fit)"},
                        "region": {"type": "string"},
                    },
                }
            }
        },
    }
}


class AdviseRequest(BaseModel):
    """Questionnaire answers (question id → option id(s) or number; ``skills`` → list) and/or resume text."""

    answers: dict[str, str | int | list[str]] | None = None
    resume_text: str | None = Field(default=None, max_length=1_000_000)
    target: str | None = Field(default=None, max_length=80)
    region: str | None = Field(default=None, max_length=80)


def run_advice(
    settings: Settings,
    *,
    answers: dict[str, Any] | None,
    resume_text: str | None,
    target: str | None,
    region: str | None,
) -> Advice:
    advise = feature("the advisor", "careerlens.advisor", "advise")
    result: Advice = advise(
        answers=answers or None, resume_text=resume_text, target=target, region=region, settings=settings
    )
    return result


def resume_text_of(data: bytes, label: str, settings: Settings) -> str:
    """Text of an uploaded resume, read in memory; the type comes from the bytes, never the name."""
    read_resume_bytes = feature("resume reading", "careerlens.advisor.resume", "read_resume_bytes")
    text: str = read_resume_bytes(data, name=label, max_bytes=settings.max_upload_bytes).text
    return text


def _answers_from_json(raw: str | None) -> dict[str, Any] | None:
    if not raw or not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(
            "answers is not valid JSON", field="answers", hint='send e.g. {"work_focus": "models"}'
        ) from exc
    if not isinstance(value, dict):
        raise InputError("answers must be a JSON object", field="answers")
    return value


def _answers_from_form(form: UploadForm, qn: Questionnaire) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in qn.questions:
        values = [v for v in form.multi.get(q.id, []) if v.strip()]
        if not values:
            continue
        answers[q.id] = values if q.kind == "multi" else values[0]
    skills = [s.strip() for s in form.fields.get("skills", "").replace("\n", ",").split(",") if s.strip()]
    if skills:
        answers["skills"] = skills
    return answers


def _questionnaire() -> Questionnaire:
    load = feature("the questionnaire", "careerlens.kb.questions", "load_questionnaire")
    qn: Questionnaire = load()
    return qn


@api.get("/questions", response_model=Questionnaire)
def questions_api() -> Questionnaire:
    """The advisor's questionnaire: questions with their options (kind choice, multi or number)."""
    return _questionnaire()


@api.post("/advise", response_model=Advice)
def advise_api(settings: SettingsDep, body: Annotated[AdviseRequest, Body()]) -> Advice:
    """Advice from questionnaire answers and/or resume text: fit ranking with reasons, gaps, path, plan."""
    return run_advice(
        settings,
        answers=body.answers,
        resume_text=body.resume_text,
        target=clean(body.target),
        region=clean(body.region),
    )


@api.post(
    "/advise/resume",
    response_model=Advice,
    responses=UPLOAD_RESPONSES,
    openapi_extra=RESUME_FORM_SCHEMA,
    dependencies=[UploadLimited],
)
async def advise_resume_api(request: Request, settings: SettingsDep) -> Advice:
    """Advice from an uploaded resume (multipart field ``file``, at most 10 MB) plus optional answers JSON."""
    form = await read_form(request, settings.max_upload_bytes)
    upload = form.files.get("file")
    if upload is None or not upload.data:
        raise ResumeError(
            "no resume file in the upload", field="file", hint="send the resume as form field 'file'"
        )
    text = resume_text_of(upload.data, upload.label, settings)
    return run_advice(
        settings,
        answers=_answers_from_json(form.fields.get("answers")),
        resume_text=text,
        target=clean(form.fields.get("target")),
        region=clean(form.fields.get("region")),
    )


def _form_page(request: Request, kb: Any, *, error: dict[str, Any] | None = None, values: Any = None,
               status_code: int = 200) -> HTMLResponse:  # fmt: skip
    return page(
        request,
        "advisor.html",
        active="advisor",
        qn=_questionnaire(),
        roles=list(kb.roles.values()),
        regions=REGIONS,
        error=error,
        values=values or {},
        status_code=status_code,
    )


@pages.get("/advisor", response_class=HTMLResponse)
def advisor_page(request: Request, kb: KBDep) -> HTMLResponse:
    return _form_page(request, kb)


@pages.post("/advisor", response_class=HTMLResponse, dependencies=[UploadLimited])
async def advisor_submit(request: Request, settings: SettingsDep, kb: KBDep) -> HTMLResponse:
    form = await read_form(request, settings.max_upload_bytes)
    qn = _questionnaire()
    answers = _answers_from_form(form, qn)
    values = {"answers": answers, "target": form.fields.get("target"), "region": form.fields.get("region")}
    try:
        text = None
        upload = form.files.get("resume")
        if upload is not None and upload.data:
            text = resume_text_of(upload.data, upload.label, settings)
        advice = run_advice(
            settings,
            answers=answers,
            resume_text=text,
            target=clean(form.fields.get("target")),
            region=clean(form.fields.get("region")),
        )
    except SOFT_ERRORS as exc:
        return _form_page(request, kb, error=exc.to_dict(), values=values, status_code=422)
    return page(
        request,
        "advice.html",
        active="advisor",
        advice=advice,
        inputs_json=AdviseRequest(
            answers=answers or None,
            resume_text=text,
            target=clean(form.fields.get("target")),
            region=clean(form.fields.get("region")),
        ).model_dump_json(),
        formats=REPORT_FORMATS,
        roles=kb.roles,
        charts=advice_charts(advice),
    )


def advice_charts(advice: Advice) -> dict[str, Any]:
    """Fit scores of the best roles, and the median pay along the path (withheld steps left out)."""
    top = advice.fits[:8]
    figs: dict[str, Any] = {
        "fig-fit": charts.hbar(
            [f.name for f in top], [f.score for f in top], "Fit score (0–100)", fmt=".0f", color=0
        )
    }
    steps = [s for s in advice.path if not s.salary.withheld and s.salary.median is not None]
    if steps:
        figs["fig-path-pay"] = charts.median_steps(
            [f"{s.role_name}<br>{s.level}" for s in steps],
            [s.salary for s in steps],
            "Median pay along the path (USD/year)",
        )
    return figs


REPORT_FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def render_report(advice: Advice, fmt: str) -> bytes:
    """The advisor report in one format, rendered in memory by careerlens.report."""
    build = feature("the advisor report", "careerlens.advisor.report", "build_report")
    render = feature("report rendering", "careerlens.report.render", {"md": "to_markdown", "html": "to_html",
                                                                      "pdf": "to_pdf"}[fmt])  # fmt: skip
    out = render(build(advice))
    return out.encode("utf-8") if isinstance(out, str) else bytes(out)


def _report_response(settings: Settings, inputs: AdviseRequest, fmt: str) -> Response:
    """Run the advice again from its inputs and render it; the client holds the inputs, nothing is kept."""
    advice = run_advice(
        settings,
        answers=inputs.answers,
        resume_text=inputs.resume_text,
        target=clean(inputs.target),
        region=clean(inputs.region),
    )
    headers = {"Content-Disposition": f'attachment; filename="careerlens-advice.{fmt}"'}
    return Response(render_report(advice, fmt), media_type=REPORT_FORMATS[fmt], headers=headers)


@pages.post("/advisor/report", dependencies=[UploadLimited])
def advisor_report(
    settings: SettingsDep,
    inputs: Annotated[str, Form(max_length=2_000_000)],
    fmt: Annotated[Literal["md", "html", "pdf"], Form(alias="format")] = "pdf",
) -> Response:
    """Download the report of the advice on the page, which posts its inputs (answers, resume text) back."""
    try:
        parsed = AdviseRequest.model_validate_json(inputs)
    except ValidationError as exc:
        raise InputError(
            "the advice inputs are not valid", field="inputs", hint="run the advisor again"
        ) from exc
    return _report_response(settings, parsed, fmt)


@api.post(
    "/advise/report",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}, "text/markdown": {}, "text/html": {}}},
        429: UPLOAD_RESPONSES[429],
    },
    dependencies=[UploadLimited],
)
def advise_report_api(
    settings: SettingsDep,
    body: Annotated[AdviseRequest, Body()],
    fmt: Annotated[Literal["md", "html", "pdf"], Query(alias="format")] = "pdf",
) -> Response:
    """The advice for the same inputs as /advise, as a Markdown, HTML or PDF report."""
    return _report_response(settings, body, fmt)
