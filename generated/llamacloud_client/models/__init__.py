"""Contains all the data models used in inputs/outputs"""

from .extract_configuration import ExtractConfiguration
from .extract_configuration_data_schema import ExtractConfigurationDataSchema
from .extract_configuration_data_schema_additional_property_type_0 import (
    ExtractConfigurationDataSchemaAdditionalPropertyType0,
)
from .extract_configuration_extraction_target import ExtractConfigurationExtractionTarget
from .extract_configuration_tier import ExtractConfigurationTier
from .extract_field_metadata import ExtractFieldMetadata
from .extract_field_metadata_document_metadata_type_0 import ExtractFieldMetadataDocumentMetadataType0
from .extract_field_metadata_document_metadata_type_0_additional_property_type_0 import (
    ExtractFieldMetadataDocumentMetadataType0AdditionalPropertyType0,
)
from .extract_field_metadata_page_metadata_type_0_item import ExtractFieldMetadataPageMetadataType0Item
from .extract_field_metadata_page_metadata_type_0_item_additional_property_type_0 import (
    ExtractFieldMetadataPageMetadataType0ItemAdditionalPropertyType0,
)
from .extract_field_metadata_row_metadata_type_0_item import ExtractFieldMetadataRowMetadataType0Item
from .extract_field_metadata_row_metadata_type_0_item_additional_property_type_0 import (
    ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0,
)
from .extract_job_metadata import ExtractJobMetadata
from .extract_job_run_metadata import ExtractJobRunMetadata
from .extract_job_usage import ExtractJobUsage
from .extract_usage import ExtractUsage
from .extract_v2_job import ExtractV2Job
from .extract_v2_job_create import ExtractV2JobCreate
from .extract_v2_job_extract_result_type_0 import ExtractV2JobExtractResultType0
from .extract_v2_job_extract_result_type_0_additional_property_type_0 import (
    ExtractV2JobExtractResultType0AdditionalPropertyType0,
)
from .extract_v2_job_extract_result_type_1_item import ExtractV2JobExtractResultType1Item
from .extract_v2_job_extract_result_type_1_item_additional_property_type_0 import (
    ExtractV2JobExtractResultType1ItemAdditionalPropertyType0,
)
from .extract_v2_job_list import ExtractV2JobList
from .file_upload_form import FileUploadForm
from .file_upload_response import FileUploadResponse
from .http_validation_error import HTTPValidationError
from .list_extract_jobs_status_type_0 import ListExtractJobsStatusType0
from .presigned_url import PresignedUrl
from .presigned_url_form_fields_type_0 import PresignedUrlFormFieldsType0
from .validation_error import ValidationError
from .validation_error_ctx import ValidationErrorCtx
from .webhook_configuration import WebhookConfiguration
from .webhook_configuration_webhook_events_type_0_item import WebhookConfigurationWebhookEventsType0Item
from .webhook_configuration_webhook_headers_type_0 import WebhookConfigurationWebhookHeadersType0

__all__ = (
    "ExtractConfiguration",
    "ExtractConfigurationDataSchema",
    "ExtractConfigurationDataSchemaAdditionalPropertyType0",
    "ExtractConfigurationExtractionTarget",
    "ExtractConfigurationTier",
    "ExtractFieldMetadata",
    "ExtractFieldMetadataDocumentMetadataType0",
    "ExtractFieldMetadataDocumentMetadataType0AdditionalPropertyType0",
    "ExtractFieldMetadataPageMetadataType0Item",
    "ExtractFieldMetadataPageMetadataType0ItemAdditionalPropertyType0",
    "ExtractFieldMetadataRowMetadataType0Item",
    "ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0",
    "ExtractJobMetadata",
    "ExtractJobRunMetadata",
    "ExtractJobUsage",
    "ExtractUsage",
    "ExtractV2Job",
    "ExtractV2JobCreate",
    "ExtractV2JobExtractResultType0",
    "ExtractV2JobExtractResultType0AdditionalPropertyType0",
    "ExtractV2JobExtractResultType1Item",
    "ExtractV2JobExtractResultType1ItemAdditionalPropertyType0",
    "ExtractV2JobList",
    "FileUploadForm",
    "FileUploadResponse",
    "HTTPValidationError",
    "ListExtractJobsStatusType0",
    "PresignedUrl",
    "PresignedUrlFormFieldsType0",
    "ValidationError",
    "ValidationErrorCtx",
    "WebhookConfiguration",
    "WebhookConfigurationWebhookEventsType0Item",
    "WebhookConfigurationWebhookHeadersType0",
)
