# The HTTP API of the image service (adapter-lambda/api.h): an API Gateway HTTP API with
# payload format 2.0 in front of a second function built from the same zip, with a role of
# its own (policies/api-policy.json.tftpl): write uploads under upload_prefix (what its
# presigned PUT URLs and inline uploads need), read thumbnails under key_prefix (its
# presigned GET URLs), read the records. Routes POST /images, GET /images, GET /images/{id+};
# a $default stage with throttling; CORS; an optional JWT authorizer.

locals {
  api_name = "${var.function_name}-api"
}

resource "aws_cloudwatch_log_group" "api" {
  count = var.enable_api ? 1 : 0

  name              = "/aws/lambda/${local.api_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_iam_role" "api" {
  count = var.enable_api ? 1 : 0

  name               = "${local.api_name}-role"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

resource "aws_iam_role_policy" "api" {
  count = var.enable_api ? 1 : 0

  name = "${local.api_name}-policy"
  role = aws_iam_role.api[0].id
  policy = templatefile("${path.module}/policies/api-policy.json.tftpl", {
    upload_bucket_arn  = aws_s3_bucket.source.arn
    upload_prefix      = var.upload_prefix
    dest_bucket_arn    = aws_s3_bucket.dest.arn
    dest_prefix        = var.key_prefix
    metadata_table_arn = local.metadata_table_arn
    log_group_arn      = aws_cloudwatch_log_group.api[0].arn
  })
}

resource "aws_lambda_function" "api" {
  count = var.enable_api ? 1 : 0

  function_name    = local.api_name
  description      = "thumbkit: the image service's HTTP API"
  role             = aws_iam_role.api[0].arn
  filename         = local.function_zip
  source_code_hash = filebase64sha256(local.function_zip)
  runtime          = "provided.al2023"
  architectures    = ["x86_64"]
  handler          = "bootstrap"
  memory_size      = 256
  timeout          = 10
  layers           = [aws_lambda_layer_version.libs.arn]

  environment {
    variables = {
      DEST_BUCKET        = aws_s3_bucket.dest.id
      KEY_PREFIX         = var.key_prefix
      THUMB_SIZE         = var.thumb_size
      THUMB_SIZES        = join(",", var.thumb_sizes)
      OUTPUT_FORMAT      = var.output_format
      ALLOWED_EXTENSIONS = join(",", var.allowed_extensions)
      MAX_INPUT_BYTES    = tostring(var.max_input_bytes)
      ARCHIVE_PREFIX     = var.archive_prefix
      METADATA_TABLE     = local.metadata_table_name
      UPLOAD_BUCKET      = aws_s3_bucket.source.id
      UPLOAD_PREFIX      = var.upload_prefix
      CORS_ALLOW_ORIGIN  = var.cors_allow_origin
      URL_EXPIRES        = tostring(var.url_expires)
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.api[0].name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  depends_on = [aws_iam_role_policy.api]
}

resource "aws_apigatewayv2_api" "images" {
  count = var.enable_api ? 1 : 0

  name          = local.api_name
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins  = [var.cors_allow_origin]
    allow_methods  = ["GET", "POST", "OPTIONS"]
    allow_headers  = ["content-type", "authorization"]
    expose_headers = ["location"]
    max_age        = 600
  }
}

resource "aws_apigatewayv2_integration" "api" {
  count = var.enable_api ? 1 : 0

  api_id                 = aws_apigatewayv2_api.images[0].id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.api[0].invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 10000
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count = var.enable_api && var.jwt_issuer != null ? 1 : 0

  api_id           = aws_apigatewayv2_api.images[0].id
  name             = "${local.api_name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }
}

resource "aws_apigatewayv2_route" "images" {
  for_each = var.enable_api ? toset(["POST /images", "GET /images", "GET /images/{id+}"]) : toset([])

  api_id             = aws_apigatewayv2_api.images[0].id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.api[0].id}"
  authorization_type = var.jwt_issuer != null ? "JWT" : "NONE"
  authorizer_id      = var.jwt_issuer != null ? aws_apigatewayv2_authorizer.jwt[0].id : null
}

resource "aws_apigatewayv2_stage" "default" {
  count = var.enable_api ? 1 : 0

  api_id      = aws_apigatewayv2_api.images[0].id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.api_throttle_rate
    throttling_burst_limit = var.api_throttle_burst
  }
}

resource "aws_lambda_permission" "api_invoke" {
  count = var.enable_api ? 1 : 0

  statement_id  = "AllowInvokeFromHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api[0].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.images[0].execution_arn}/*/*"
}

# A browser uploads with the presigned URL straight to S3 and may fetch thumbnails with their
# presigned URLs: both buckets answer CORS for the API's origin (PUT on uploads, GET on
# thumbnails).
resource "aws_s3_bucket_cors_configuration" "uploads" {
  count = var.enable_api ? 1 : 0

  bucket = aws_s3_bucket.source.id
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = [var.cors_allow_origin]
    allowed_headers = ["content-type"]
    max_age_seconds = 600
  }
}

resource "aws_s3_bucket_cors_configuration" "thumbnails" {
  count = var.enable_api ? 1 : 0

  bucket = aws_s3_bucket.dest.id
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = [var.cors_allow_origin]
    max_age_seconds = 600
  }
}
