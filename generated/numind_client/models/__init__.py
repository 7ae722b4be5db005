"""Contains all the data models used in inputs/outputs"""

from .extraction_error import ExtractionError
from .extraction_response import ExtractionResponse
from .extraction_response_result import ExtractionResponseResult
from .image_info import ImageInfo
from .job_id_response import JobIdResponse
from .job_response import JobResponse
from .job_status_response import JobStatusResponse
from .markdown_response import MarkdownResponse
from .post_api_markdown_infer_async_body import PostApiMarkdownInferAsyncBody
from .selected_example import SelectedExample
from .text_info import TextInfo

__all__ = (
    "ExtractionError",
    "ExtractionResponse",
    "ExtractionResponseResult",
    "ImageInfo",
    "JobIdResponse",
    "JobResponse",
    "JobStatusResponse",
    "MarkdownResponse",
    "PostApiMarkdownInferAsyncBody",
    "SelectedExample",
    "TextInfo",
)
