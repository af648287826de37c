output "source_bucket" {
  description = "Bucket to upload images to."
  value       = aws_s3_bucket.source.id
}

output "dest_bucket" {
  description = "Bucket the thumbnails are written to."
  value       = aws_s3_bucket.dest.id
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.thumbnail.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.thumbnail.arn
}

output "layer_arn" {
  description = "ARN of the layer version holding the shared libraries."
  value       = aws_lambda_layer_version.libs.arn
}

output "log_group" {
  description = "CloudWatch Logs group of the function."
  value       = aws_cloudwatch_log_group.lambda.name
}

output "failure_queue_url" {
  description = "SQS queue receiving events whose retries are exhausted."
  value       = aws_sqs_queue.failures.url
}

output "upload_command" {
  description = "Ready-to-paste command that uploads a photo and so triggers a thumbnail."
  value       = "aws s3 cp ./photo.jpg s3://${aws_s3_bucket.source.id}/photo.jpg --region ${var.region}"
}

output "thumbnail_command" {
  description = "Ready-to-paste command that lists the thumbnails written so far."
  value       = "aws s3 ls s3://${aws_s3_bucket.dest.id}/${var.key_prefix} --region ${var.region}"
}

output "region" {
  description = "Region everything is deployed in."
  value       = var.region
}

output "metric_namespace" {
  description = "CloudWatch namespace of the ImagesProcessed metric (var.metric_namespace)."
  value       = var.metric_namespace
}
