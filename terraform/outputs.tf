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

output "api_url" {
  description = "Base URL of the HTTP API (POST /images, GET /images, GET /images/{id}); null without the API."
  value       = var.enable_api ? aws_apigatewayv2_stage.default[0].invoke_url : null
}

output "metadata_table" {
  description = "DynamoDB table of the image records; null when off."
  value       = var.enable_metadata ? aws_dynamodb_table.images[0].name : null
}

output "notify_topic_arn" {
  description = "SNS topic of the image notifications; null when off."
  value       = var.enable_notifications ? aws_sns_topic.images[0].arn : null
}

output "upload_page_url" {
  description = "The upload page (web/index.html on CloudFront) with this API as ?api=: open it in a browser; null without the API or the page."
  value       = local.web_enabled ? "https://${aws_cloudfront_distribution.web[0].domain_name}/?api=${urlencode(trimsuffix(aws_apigatewayv2_stage.default[0].invoke_url, "/"))}" : null
}
