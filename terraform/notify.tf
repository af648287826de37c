# One SNS message per processed or failed image (adapter-lambda/notify.h), with the message
# attributes status and format for subscription filter policies; an optional e-mail
# subscription.

resource "aws_sns_topic" "images" {
  count = var.enable_notifications ? 1 : 0

  name              = "${var.function_name}-images"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "email" {
  count = var.enable_notifications && var.notification_email != null ? 1 : 0

  topic_arn = aws_sns_topic.images[0].arn
  protocol  = "email"
  endpoint  = var.notification_email
}

locals {
  notify_topic_arn = var.enable_notifications ? aws_sns_topic.images[0].arn : "arn:${data.aws_partition.current.partition}:sns:${var.region}:${local.account_id}:${var.function_name}-images"
}
