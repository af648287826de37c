# Execution role of the function, with a least-privilege inline policy.
# The policy document lives in policies/lambda-policy.json.tftpl so that the
# tests (tests/terraform) load the very same JSON and enforce it in a local AWS.

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "${var.function_name}-role"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

resource "aws_iam_role_policy" "lambda" {
  name   = "${var.function_name}-policy"
  role   = aws_iam_role.lambda.id
  policy = templatefile("${path.module}/policies/lambda-policy.json.tftpl", {
    source_bucket_arn = aws_s3_bucket.source.arn
    dest_bucket_arn   = aws_s3_bucket.dest.arn
    dest_prefix       = var.key_prefix
    log_group_arn     = aws_cloudwatch_log_group.lambda.arn
    failure_queue_arn = aws_sqs_queue.failures.arn
    metric_api_mode    = var.metric_mode != "emf"
    metric_namespace   = var.metric_namespace
    metadata_enabled   = var.enable_metadata
    metadata_table_arn = local.metadata_table_arn
    notify_enabled     = var.enable_notifications
    notify_topic_arn   = local.notify_topic_arn
    archive_enabled    = var.archive_prefix != ""
    archive_prefix     = var.archive_prefix
    queue_mode         = var.buffer_with_sqs
    jobs_queue_arn     = var.buffer_with_sqs ? aws_sqs_queue.jobs[0].arn : ""
  })
}
