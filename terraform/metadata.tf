# The image records (adapter-lambda/record.h): one item per source key, hash key ImageID,
# written by the thumbnail function (UpdateItem with a condition on S3's sequencer) and read
# by the API function (GetItem, Scan).

resource "aws_dynamodb_table" "images" {
  count = var.enable_metadata ? 1 : 0

  name         = var.metadata_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "ImageID"

  attribute {
    name = "ImageID"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

locals {
  # "" when off: the function reads an empty variable as unset.
  metadata_table_name = var.enable_metadata ? aws_dynamodb_table.images[0].name : ""
  # The policies need an ARN even when their statement is left out.
  metadata_table_arn = var.enable_metadata ? aws_dynamodb_table.images[0].arn : "arn:${data.aws_partition.current.partition}:dynamodb:${var.region}:${local.account_id}:table/${var.metadata_table_name}"
}
