# ---------------------------------------------------------------------------
# Deployment
# ---------------------------------------------------------------------------

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-3"
}

variable "tags" {
  description = "Tags applied to every resource (provider default_tags)."
  type        = map(string)
  default = {
    Project = "thumbkit"
  }
}

variable "function_name" {
  description = "Name of the Lambda function; also names the log group, role, layer and queue."
  type        = string
  default     = "tp-lambda-thumbnail"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,50}$", var.function_name))
    error_message = "function_name must be 1 to 50 letters, digits, '-' or '_' (suffixes are appended to it)."
  }
}

variable "source_bucket_name" {
  description = "Bucket that receives the uploads. null: <function_name>-src-<account id>-<region>."
  type        = string
  default     = null
}

variable "dest_bucket_name" {
  description = "Bucket that receives the thumbnails. null: <function_name>-dst-<account id>-<region>."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the buckets even when they still hold objects."
  type        = bool
  default     = false
}

variable "dist_dir" {
  description = "Folder holding <architecture>/function.zip and <architecture>/layer.zip (packaging/build-package --arch). null: <repo>/dist."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------
# Function
# ---------------------------------------------------------------------------

variable "architecture" {
  description = "Lambda architecture: x86_64 or arm64 (Graviton, 20 % lower price per GB-second; see README.md). Selects dist/<architecture>/ and the function's and layer's architecture."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "memory_size" {
  description = "Function memory in MB (CPU share grows with it). 256: the cheapest size meeting p95 <= 500 ms on phone photos (terraform/README.md, Memory size)."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240 MB."
  }
}

variable "timeout" {
  description = "Function timeout in seconds."
  type        = number
  default     = 60

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "timeout must be between 1 and 900 seconds."
  }
}

variable "log_level" {
  description = "Application log level (logging_config; the runtime reads it as AWS_LAMBDA_LOG_LEVEL)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's log group, in days."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

# ---------------------------------------------------------------------------
# Adapter configuration (environment; see adapter-lambda/README.md)
# ---------------------------------------------------------------------------

variable "thumb_size" {
  description = "THUMB_SIZE: thumbnail box WIDTHxHEIGHT (or one number for a square)."
  type        = string
  default     = "256x256"

  validation {
    condition     = can(regex("^[0-9]+(x[0-9]+)?$", var.thumb_size))
    error_message = "thumb_size must look like 256x256 or 256."
  }
}

variable "thumb_fit" {
  description = "THUMB_FIT: inside (keep the whole image) or cover (fill the box, crop the centre)."
  type        = string
  default     = "inside"

  validation {
    condition     = contains(["inside", "cover"], var.thumb_fit)
    error_message = "thumb_fit must be inside or cover."
  }
}

variable "output_format" {
  description = "OUTPUT_FORMAT: jpeg (or jpg), png, webp or same (as the input)."
  type        = string
  default     = "jpeg"

  validation {
    condition     = contains(["jpeg", "jpg", "png", "webp", "same"], var.output_format)
    error_message = "output_format must be jpeg, png, webp or same."
  }
}

variable "jpeg_chroma" {
  description = "JPEG_CHROMA: 444 (full-resolution chroma, truer colours) or 420 (smaller files)."
  type        = string
  default     = "444"

  validation {
    condition     = contains(["444", "420"], var.jpeg_chroma)
    error_message = "jpeg_chroma must be 444 or 420."
  }
}

variable "jpeg_quality" {
  description = "JPEG_QUALITY: 1 to 100."
  type        = number
  default     = 85

  validation {
    condition     = var.jpeg_quality >= 1 && var.jpeg_quality <= 100 && floor(var.jpeg_quality) == var.jpeg_quality
    error_message = "jpeg_quality must be an integer from 1 to 100."
  }
}

variable "thumb_filter" {
  description = "THUMB_FILTER: lanczos3, catmull-rom, bilinear or box."
  type        = string
  default     = "lanczos3"

  validation {
    condition     = contains(["lanczos3", "catmull-rom", "bicubic", "bilinear", "box"], var.thumb_filter)
    error_message = "thumb_filter must be lanczos3, catmull-rom (bicubic), bilinear or box."
  }
}

variable "key_prefix" {
  description = "KEY_PREFIX: prefix of the thumbnail keys in the destination bucket (\"\" for none). The role may write only under it."
  type        = string
  default     = "thumbnails/"

  validation {
    condition     = !startswith(var.key_prefix, "/") && length(var.key_prefix) <= 512
    error_message = "key_prefix must not start with '/' and must be at most 512 bytes."
  }
}

variable "allowed_extensions" {
  description = "ALLOWED_EXTENSIONS: extensions the function processes (compared without case)."
  type        = list(string)
  default     = ["jpg", "jpeg", "jpe", "jfif", "png", "webp", "heic", "heif", "hif", "avif"]
}

variable "max_input_bytes" {
  description = "MAX_INPUT_BYTES: larger source objects are refused before download."
  type        = number
  default     = 67108864
}

variable "max_pixels" {
  description = "MAX_PIXELS: larger images (width x height) are refused before decoding."
  type        = number
  default     = 100000000
}

variable "metric_namespace" {
  description = "METRIC_NAMESPACE: CloudWatch namespace of the ImagesProcessed metric."
  type        = string
  default     = "INOW/Lambda101"
}

variable "metric_mode" {
  description = "METRIC_MODE: emf (Embedded Metric Format log lines, no permission needed), api (one CloudWatch PutMetricData call per invocation) or both. cloudwatch:PutMetricData (limited to metric_namespace) is granted only with api or both."
  type        = string
  default     = "emf"

  validation {
    condition     = contains(["emf", "api", "both"], var.metric_mode)
    error_message = "metric_mode must be emf, api or both."
  }
}

variable "thumb_sizes" {
  description = "THUMB_SIZES: several boxes (e.g. [\"128\", \"256\", \"1024x768\"]), one object per size under KEY_PREFIX + \"WxH/\". Empty: the one box of thumb_size, keys without a size."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.thumb_sizes) <= 8 && alltrue([for s in var.thumb_sizes : can(regex("^[0-9]+(x[0-9]+)?$", s))])
    error_message = "thumb_sizes: at most 8 sizes, each like 256 or 1024x768."
  }
}

variable "thumb_cache_control" {
  description = "THUMB_CACHE_CONTROL: Cache-Control of the thumbnails (\"\": none), e.g. \"public, max-age=31536000, immutable\"."
  type        = string
  default     = ""
}

# ---------------------------------------------------------------------------
# Image service (each part optional)
# ---------------------------------------------------------------------------

variable "enable_metadata" {
  description = "Create the DynamoDB table and write one record per image (METADATA_TABLE)."
  type        = bool
  default     = true
}

variable "metadata_table_name" {
  description = "Name of the DynamoDB table of image records (hash key ImageID)."
  type        = string
  default     = "ImageMetadata"
}

variable "enable_notifications" {
  description = "Create the SNS topic and publish one message per processed or failed image (NOTIFY_TOPIC_ARN)."
  type        = bool
  default     = true
}

variable "notification_email" {
  description = "E-mail address subscribed to the topic (it must confirm the subscription). null: none."
  type        = string
  default     = null
}

variable "archive_prefix" {
  description = "ARCHIVE_PREFIX: store each accepted upload as <prefix><key>.zip in the source bucket (\"\": off), e.g. \"zip/\". Keys under it are never processed."
  type        = string
  default     = ""

  validation {
    condition     = !startswith(var.archive_prefix, "/") && length(var.archive_prefix) <= 512
    error_message = "archive_prefix must not start with '/' and must be at most 512 bytes."
  }
}

variable "trigger_prefix" {
  description = "Key prefix of the S3 trigger (\"\": every key), e.g. \"images/\" so that only uploads there are processed."
  type        = string
  default     = ""
}

variable "enable_api" {
  description = "Deploy the HTTP API (API Gateway HTTP API + a second function from the same zip with its own role)."
  type        = bool
  default     = true
}

variable "upload_prefix" {
  description = "UPLOAD_PREFIX: where the API's uploads go in the source bucket; the API role may write only there."
  type        = string
  default     = "uploads/"

  validation {
    condition     = length(var.upload_prefix) > 0 && !startswith(var.upload_prefix, "/")
    error_message = "upload_prefix must be non-empty and must not start with '/'."
  }
}

variable "url_expires" {
  description = "URL_EXPIRES: lifetime in seconds of the API's presigned upload and thumbnail URLs."
  type        = number
  default     = 300

  validation {
    condition     = var.url_expires >= 1 && var.url_expires <= 604800
    error_message = "url_expires must be between 1 and 604800 seconds."
  }
}

variable "enable_upload_page" {
  description = "With the API: serve the upload page (web/index.html) from a private bucket through CloudFront; its URL is the output upload_page_url."
  type        = bool
  default     = true
}

variable "cors_allow_origin" {
  description = "CORS_ALLOW_ORIGIN: the origin allowed to call the API from a browser (\"*\": any)."
  type        = string
  default     = "*"
}

variable "api_throttle_rate" {
  description = "Steady-state requests per second of the API stage (default route)."
  type        = number
  default     = 50
}

variable "api_throttle_burst" {
  description = "Burst of requests the API stage accepts above the rate."
  type        = number
  default     = 100
}

variable "jwt_issuer" {
  description = "Issuer URL of an optional JWT authorizer on the API routes (e.g. a Cognito user pool). null: no authorizer."
  type        = string
  default     = null
}

variable "jwt_audience" {
  description = "Audiences (client ids) the JWT authorizer accepts."
  type        = list(string)
  default     = []
}

# ---------------------------------------------------------------------------
# Trigger, retries, failures, alarms
# ---------------------------------------------------------------------------

variable "trigger_suffixes" {
  description = "Key suffixes of the S3 ObjectCreated trigger. S3 suffix filters are case-sensitive, so common upper-case spellings are listed too."
  type        = list(string)
  default = [
    ".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".hif", ".avif",
    ".JPG", ".JPEG", ".PNG", ".WEBP", ".HEIC", ".HEIF", ".HIF", ".AVIF",
  ]
}

variable "async_retry_attempts" {
  description = "Retries of a failed asynchronous invocation (0 to 2) before it goes to the failure queue."
  type        = number
  default     = 2

  validation {
    condition     = var.async_retry_attempts >= 0 && var.async_retry_attempts <= 2
    error_message = "async_retry_attempts must be 0, 1 or 2."
  }
}

variable "max_event_age_seconds" {
  description = "Oldest event Lambda still tries (60 to 21600 s); older ones go to the failure queue."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_event_age_seconds >= 60 && var.max_event_age_seconds <= 21600
    error_message = "max_event_age_seconds must be between 60 and 21600."
  }
}

variable "failure_retention_seconds" {
  description = "How long failed events stay in the failure queue (max 14 days)."
  type        = number
  default     = 1209600
}

variable "alarm_actions" {
  description = "ARNs (for example an SNS topic) notified when an alarm fires or recovers. Empty: alarms only change state."
  type        = list(string)
  default     = []
}

# ---------------------------------------------------------------------------
# Buffering: S3 -> SQS -> Lambda (queue.tf)
# ---------------------------------------------------------------------------

variable "buffer_with_sqs" {
  description = "Route S3 events through an SQS queue (batching, bounded concurrency, DLQ) instead of invoking the function directly."
  type        = bool
  default     = false
}

variable "queue_batch_size" {
  description = "Most messages per invocation (the function handles them one after another)."
  type        = number
  default     = 10

  validation {
    condition     = var.queue_batch_size >= 1 && var.queue_batch_size <= 10000
    error_message = "queue_batch_size must be between 1 and 10000."
  }
}

variable "queue_batching_window_seconds" {
  description = "How long the event source mapping may wait to fill a batch (0 to 300 s)."
  type        = number
  default     = 2

  validation {
    condition     = var.queue_batching_window_seconds >= 0 && var.queue_batching_window_seconds <= 300
    error_message = "queue_batching_window_seconds must be between 0 and 300."
  }
}

variable "queue_max_concurrency" {
  description = "Most concurrent invocations the queue drives (2 to 1000)."
  type        = number
  default     = 10

  validation {
    condition     = var.queue_max_concurrency >= 2 && var.queue_max_concurrency <= 1000
    error_message = "queue_max_concurrency must be between 2 and 1000."
  }
}

variable "queue_max_receive_count" {
  description = "Deliveries of one message before it moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.queue_max_receive_count >= 1 && var.queue_max_receive_count <= 1000
    error_message = "queue_max_receive_count must be between 1 and 1000."
  }
}
