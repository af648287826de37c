# The zip archive action (adapter-lambda/archive.h): with archive_prefix set, each accepted
# upload is also stored as <archive_prefix><key>.zip in the source bucket. The function never
# processes keys under archive_prefix or KEY_PREFIX, so the trigger may cover the whole
# bucket; trigger_prefix narrows it further (e.g. "images/").

locals {
  archive_enabled = var.archive_prefix != ""
  # ARCHIVE_BUCKET: "" means the source bucket of each object (here the one source bucket).
  archive_bucket = local.archive_enabled ? aws_s3_bucket.source.id : ""
}
