"""Contains all the data models used in inputs/outputs"""

from .document_status_enum import DocumentStatusEnum
from .error_response import ErrorResponse
from .extract_config import ExtractConfig
from .extract_config_model import ExtractConfigModel
from .extract_job_attributions import ExtractJobAttributions
from .extract_job_metadata import ExtractJobMetadata
from .extract_job_request import ExtractJobRequest
from .extract_job_response import ExtractJobResponse
from .extract_job_results import ExtractJobResults
from .extract_job_results_response import ExtractJobResultsResponse
from .extract_job_status_response import ExtractJobStatusResponse
from .http_validation_error import HTTPValidationError
from .validation_error import ValidationError

__all__ = (
    "DocumentStatusEnum",
    "ErrorResponse",
    "ExtractConfig",
    "ExtractConfigModel",
    "ExtractJobAttributions",
    "ExtractJobMetadata",
    "ExtractJobRequest",
    "ExtractJobResponse",
    "ExtractJobResults",
    "ExtractJobResultsResponse",
    "ExtractJobStatusResponse",
    "HTTPValidationError",
    "ValidationError",
)
