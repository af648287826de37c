terraform {
  required_version = ">= 1.5.0"

  required_providers {
    # logging_config on aws_lambda_function needs 5.27 or later.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.27.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}
