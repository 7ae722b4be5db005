"""Contains all the data models used in inputs/outputs"""

from .extract_configuration import ExtractConfiguration
from .extract_configuration_data_schema import ExtractConfigurationDataSchema
from .extract_expand import ExtractExpand
from .extract_field_metadata import ExtractFieldMetadata
from .extract_field_metadata_document_metadata_type_0 import ExtractFieldMetadataDocumentMetadataType0
from .extract_field_metadata_page_metadata_type_0_item import ExtractFieldMetadataPageMetadataType0Item
from .extract_field_metadata_row_metadata_type_0_item import ExtractFieldMetadataRowMetadataType0Item
from .extract_job_metadata import ExtractJobMetadata
from .extract_job_run_metadata import ExtractJobRunMetadata
from .extract_job_status import ExtractJobStatus
from .extract_job_usage import ExtractJobUsage
from .extract_result_record import ExtractResultRecord
from .extract_target import ExtractTarget
from .extract_tier import ExtractTier
from .extract_v2_job import ExtractV2Job
from .extract_v2_job_create import ExtractV2JobCreate
from .extract_v2_job_list import ExtractV2JobList
from .file_purpose import FilePurpose
from .file_upload_form import FileUploadForm
from .file_upload_response import FileUploadResponse
from .http_validation_error import HTTPValidationError
from .validation_error import ValidationError

__all__ = (
    "ExtractConfiguration",
    "ExtractConfigurationDataSchema",
    "ExtractExpand",
    "ExtractFieldMetadata",
    "ExtractFieldMetadataDocumentMetadataType0",
    "ExtractFieldMetadataPageMetadataType0Item",
    "ExtractFieldMetadataRowMetadataType0Item",
    "ExtractJobMetadata",
    "ExtractJobRunMetadata",
    "ExtractJobStatus",
    "ExtractJobUsage",
    "ExtractResultRecord",
    "ExtractTarget",
    "ExtractTier",
    "ExtractV2Job",
    "ExtractV2JobCreate",
    "ExtractV2JobList",
    "FilePurpose",
    "FileUploadForm",
    "FileUploadResponse",
    "HTTPValidationError",
    "ValidationError",
)
