# The upload page (web/index.html) for the HTTP API: a private bucket behind CloudFront with
# origin access control, so the page is served over HTTPS and nothing in S3 is public. The URL
# to open is the output upload_page_url: the page's address with the API's URL as ?api=. The
# page calls the API from its CloudFront origin, so cors_allow_origin must be "*" (the default)
# or that origin (https://<distribution>.cloudfront.net).

locals {
  web_enabled = var.enable_api && var.enable_upload_page
  web_page    = "${path.module}/../web/index.html"
}

resource "aws_s3_bucket" "web" {
  count = local.web_enabled ? 1 : 0

  bucket        = "${var.function_name}-web-${local.account_id}-${var.region}"
  force_destroy = true # it holds only the page, which Terraform uploads again
}

resource "aws_s3_bucket_public_access_block" "web" {
  count = local.web_enabled ? 1 : 0

  bucket                  = aws_s3_bucket.web[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "web" {
  count = local.web_enabled ? 1 : 0

  bucket = aws_s3_bucket.web[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "web" {
  count = local.web_enabled ? 1 : 0

  bucket = aws_s3_bucket.web[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_object" "upload_page" {
  count = local.web_enabled ? 1 : 0

  bucket        = aws_s3_bucket.web[0].id
  key           = "index.html"
  source        = local.web_page
  etag          = filemd5(local.web_page)
  content_type  = "text/html; charset=utf-8"
  cache_control = "no-cache"
}

resource "aws_cloudfront_origin_access_control" "web" {
  count = local.web_enabled ? 1 : 0

  name                              = "${var.function_name}-web"
  description                       = "thumbkit upload page: CloudFront signs its reads of the page bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# AWS's managed policy: a one-file page needs no caching that a new apply would have to purge.
data "aws_cloudfront_cache_policy" "disabled" {
  count = local.web_enabled ? 1 : 0

  name = "Managed-CachingDisabled"
}

resource "aws_cloudfront_distribution" "web" {
  count = local.web_enabled ? 1 : 0

  enabled             = true
  comment             = "${var.function_name}: upload page"
  default_root_object = "index.html"
  price_class         = "PriceClass_100"
  http_version        = "http2and3"

  origin {
    origin_id                = "page"
    domain_name              = aws_s3_bucket.web[0].bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.web[0].id
  }

  default_cache_behavior {
    target_origin_id       = "page"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = data.aws_cloudfront_cache_policy.disabled[0].id
    compress               = true
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

# Only this distribution may read the bucket, and only over TLS.
data "aws_iam_policy_document" "web" {
  count = local.web_enabled ? 1 : 0

  statement {
    sid       = "CloudFrontReadsThePage"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.web[0].arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.web[0].arn]
    }
  }

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.web[0].arn,
      "${aws_s3_bucket.web[0].arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "web" {
  count = local.web_enabled ? 1 : 0

  bucket = aws_s3_bucket.web[0].id
  policy = data.aws_iam_policy_document.web[0].json

  depends_on = [aws_s3_bucket_public_access_block.web]
}
