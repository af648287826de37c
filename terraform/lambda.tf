# The function (bootstrap of a provided.al2023 custom runtime), its layer of
# shared libraries, its log group and its S3 trigger.

locals {
  dist_dir = coalesce(var.dist_dir, "${path.module}/../dist")
  # packaging/build-package --arch ARCH writes dist/ARCH/ (x86_64 or arm64).
  function_zip = "${local.dist_dir}/${var.architecture}/function.zip"
  layer_zip    = "${local.dist_dir}/${var.architecture}/layer.zip"
}

resource "aws_cloudwatch_log_group" "lambda" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_layer_version" "libs" {
  layer_name               = "${var.function_name}-libs"
  description              = "thumbkit shared libraries (lib/ -> /opt/lib)"
  filename                 = local.layer_zip
  source_code_hash         = filebase64sha256(local.layer_zip)
  compatible_runtimes      = ["provided.al2023"]
  compatible_architectures = [var.architecture]
}

resource "aws_lambda_function" "thumbnail" {
  function_name    = var.function_name
  description      = "thumbkit: S3 upload -> thumbnail"
  role             = aws_iam_role.lambda.arn
  filename         = local.function_zip
  source_code_hash = filebase64sha256(local.function_zip)
  runtime          = "provided.al2023"
  architectures    = [var.architecture]
  handler          = "bootstrap"
  memory_size      = var.memory_size
  timeout          = var.timeout
  layers           = [aws_lambda_layer_version.libs.arn]

  environment {
    variables = {
      DEST_BUCKET        = aws_s3_bucket.dest.id
      THUMB_SIZE         = var.thumb_size
      THUMB_FIT          = var.thumb_fit
      OUTPUT_FORMAT      = var.output_format
      JPEG_QUALITY       = tostring(var.jpeg_quality)
      JPEG_CHROMA        = var.jpeg_chroma
      THUMB_FILTER       = var.thumb_filter
      KEY_PREFIX         = var.key_prefix
      ALLOWED_EXTENSIONS = join(",", var.allowed_extensions)
      MAX_INPUT_BYTES    = tostring(var.max_input_bytes)
      MAX_PIXELS         = tostring(var.max_pixels)
      METRIC_NAMESPACE   = var.metric_namespace
      METRIC_MODE         = var.metric_mode
      THUMB_SIZES         = join(",", var.thumb_sizes)
      THUMB_CACHE_CONTROL = var.thumb_cache_control
      METADATA_TABLE      = local.metadata_table_name
      NOTIFY_TOPIC_ARN    = var.enable_notifications ? local.notify_topic_arn : ""
      ARCHIVE_PREFIX      = var.archive_prefix
      ARCHIVE_BUCKET      = local.archive_bucket
      # Lambda sets AWS_LAMBDA_FUNCTION_MEMORY_SIZE itself: the engine's memory budget.
    }
  }

  # JSON logs, filtered by level; Lambda passes the level to the runtime as
  # AWS_LAMBDA_LOG_LEVEL.
  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.lambda.name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  depends_on = [
    aws_cloudwatch_log_group.lambda,
    aws_iam_role_policy.lambda,
  ]
}

# Async invocations (S3 notifications are asynchronous): explicit retries,
# then the event goes to the failure queue instead of being dropped.
resource "aws_lambda_function_event_invoke_config" "thumbnail" {
  function_name                = aws_lambda_function.thumbnail.function_name
  maximum_retry_attempts       = var.async_retry_attempts
  maximum_event_age_in_seconds = var.max_event_age_seconds

  destination_config {
    on_failure {
      destination = aws_sqs_queue.failures.arn
    }
  }

  depends_on = [aws_iam_role_policy.lambda]
}

resource "aws_lambda_permission" "s3_invoke" {
  statement_id   = "AllowInvokeFromSourceBucket"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.thumbnail.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.source.arn
  source_account = local.account_id
}

# One configuration per suffix: S3 filters are case-sensitive and allow one
# suffix per rule. Mixed spellings (".Jpg") are not covered; the function
# itself compares extensions without case (ALLOWED_EXTENSIONS).
# With buffer_with_sqs the same rules send the events to the jobs queue instead (queue.tf).
resource "aws_s3_bucket_notification" "source" {
  bucket = aws_s3_bucket.source.id

  dynamic "lambda_function" {
    for_each = var.buffer_with_sqs ? [] : var.trigger_suffixes
    content {
      id                  = "thumbnail${replace(lambda_function.value, ".", "-")}"
      lambda_function_arn = aws_lambda_function.thumbnail.arn
      events              = ["s3:ObjectCreated:*"]
      filter_prefix       = var.trigger_prefix
      filter_suffix       = lambda_function.value
    }
  }

  dynamic "queue" {
    for_each = var.buffer_with_sqs ? var.trigger_suffixes : []
    content {
      id            = "thumbnail${replace(queue.value, ".", "-")}"
      queue_arn     = aws_sqs_queue.jobs[0].arn
      events        = ["s3:ObjectCreated:*"]
      filter_suffix = queue.value
    }
  }

  depends_on = [aws_lambda_permission.s3_invoke, aws_sqs_queue_policy.jobs]
}
