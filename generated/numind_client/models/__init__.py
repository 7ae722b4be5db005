"""Contains all the data models used in inputs/outputs"""

from .extraction_error import ExtractionError
from .extraction_response import ExtractionResponse
from .extraction_response_document_info import ExtractionResponseDocumentInfo
from .extraction_response_result import ExtractionResponseResult
from .job_id_response import JobIdResponse
from .job_response import JobResponse
from .job_status_response import JobStatusResponse
from .markdown_response import MarkdownResponse
from .post_api_markdown_infer_async_body import PostApiMarkdownInferAsyncBody
from .selected_example import SelectedExample

__all__ = (
    "ExtractionError",
    "ExtractionResponse",
    "ExtractionResponseDocumentInfo",
    "ExtractionResponseResult",
    "JobIdResponse",
    "JobResponse",
    "JobStatusResponse",
    "MarkdownResponse",
    "PostApiMarkdownInferAsyncBody",
    "SelectedExample",
)
