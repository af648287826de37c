# Where failed asynchronous invocations land, and the alarms that say so.

resource "aws_sqs_queue" "failures" {
  name                      = "${var.function_name}-failures"
  message_retention_seconds = var.failure_retention_seconds
  sqs_managed_sse_enabled   = true
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  alarm_name          = "${var.function_name}-errors"
  alarm_description   = "The thumbnail function reported errors (invocations that failed and will be retried or sent to ${aws_sqs_queue.failures.name})."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.thumbnail.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "failure_queue_depth" {
  alarm_name          = "${var.function_name}-failures-queued"
  alarm_description   = "Events that exhausted their retries wait in ${aws_sqs_queue.failures.name}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.failures.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}
