# Optional buffering: S3 -> SQS -> Lambda instead of S3 invoking the function directly.
#
# With buffer_with_sqs = true the source bucket notifies a queue; an event source mapping
# hands the function batches (batch_size, within queue_batching_window_seconds), runs at most
# queue_max_concurrency copies at once, and retries per message: the function reports
# failed messages in batchItemFailures (ReportBatchItemFailures), so only those come back.
# A message that fails queue_max_receive_count times moves to the dead-letter queue, from
# which it can be redriven (StartMessageMoveTask, the console's "Start DLQ redrive") after a
# fix. Bursts of uploads (and backfills: scripts/backfill) then queue up instead of being
# throttled. Its variables are in variables.tf (section "Buffering").

locals {
  queue_count = var.buffer_with_sqs ? 1 : 0
}

resource "aws_sqs_queue" "jobs_dlq" {
  count                     = local.queue_count
  name                      = "${var.function_name}-jobs-dlq"
  message_retention_seconds = 1209600 # 14 days: time to look, fix and redrive
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "jobs" {
  count = local.queue_count
  name  = "${var.function_name}-jobs"
  # AWS's rule for a Lambda source queue: at least six times the function timeout, so a
  # message is not handed out again while a retried invocation still works on it.
  visibility_timeout_seconds = 6 * var.timeout
  message_retention_seconds  = 345600 # 4 days
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.jobs_dlq[0].arn
    maxReceiveCount     = var.queue_max_receive_count
  })
}

# The DLQ takes messages from the jobs queue only; redrive moves them back.
resource "aws_sqs_queue_redrive_allow_policy" "jobs_dlq" {
  count     = local.queue_count
  queue_url = aws_sqs_queue.jobs_dlq[0].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.jobs[0].arn]
  })
}

data "aws_iam_policy_document" "jobs_queue" {
  count = local.queue_count
  statement {
    sid       = "SourceBucketSendsEvents"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.jobs[0].arn]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.source.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "jobs" {
  count     = local.queue_count
  queue_url = aws_sqs_queue.jobs[0].id
  policy    = data.aws_iam_policy_document.jobs_queue[0].json
}

resource "aws_lambda_event_source_mapping" "jobs" {
  count                              = local.queue_count
  event_source_arn                   = aws_sqs_queue.jobs[0].arn
  function_name                      = aws_lambda_function.thumbnail.arn
  batch_size                         = var.queue_batch_size
  maximum_batching_window_in_seconds = var.queue_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.queue_max_concurrency
  }

  # the role's inline policy grants the queue's consumption when buffer_with_sqs (iam.tf)
  depends_on = [aws_iam_role_policy.lambda]
}

resource "aws_cloudwatch_metric_alarm" "jobs_dlq_depth" {
  count               = local.queue_count
  alarm_name          = "${var.function_name}-jobs-dlq-not-empty"
  alarm_description   = "Uploads whose thumbnail failed queue_max_receive_count times are waiting in the dead-letter queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.jobs_dlq[0].name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
}

output "jobs_queue_url" {
  description = "The jobs queue (buffer_with_sqs); scripts/backfill sends existing uploads to it."
  value       = var.buffer_with_sqs ? aws_sqs_queue.jobs[0].url : null
}

output "jobs_dlq_url" {
  description = "The jobs dead-letter queue (buffer_with_sqs)."
  value       = var.buffer_with_sqs ? aws_sqs_queue.jobs_dlq[0].url : null
}
