/*
 * presign_tool.c — s3_presign() (aws/s3.h) from the command line, for the comparison with
 * botocore's generate_presigned_url (test_presign.py).
 *
 *   presign_tool METHOD BUCKET KEY CONTENT_TYPE|- EXPIRES EPOCH_SECONDS
 *
 * Region, credentials (session token included) and the endpoint (AWS_ENDPOINT_URL_S3, else
 * AWS_ENDPOINT_URL, else AWS's) come from the environment, as in bootstrap. Prints the URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials.h"
#include "aws/endpoint.h"
#include "aws/s3.h"

int main(int argc, char **argv) {
    char err[256];
    struct aws_credentials creds;
    struct env env = env_process();
    char *endpoint = NULL, *url = NULL;
    struct aws_client *c = NULL;
    if (argc != 7) {
        fputs("usage: presign_tool METHOD BUCKET KEY CONTENT_TYPE|- EXPIRES EPOCH\n", stderr);
        return 2;
    }
    if (aws_credentials_from_env(&creds, &env, err, sizeof err) != 0 ||
        aws_endpoint_from_env(&env, "S3", &endpoint, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    struct aws_client_config cfg = {.service = S3_SERVICE,
                                    .region = getenv("AWS_REGION"),
                                    .endpoint = endpoint,
                                    .credentials = &creds};
    int rc = 2;
    if (aws_client_create(&cfg, &c, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
    } else if (s3_presign(c, argv[1], argv[2], argv[3], strcmp(argv[4], "-") ? argv[4] : NULL,
                          (unsigned)strtoul(argv[5], NULL, 10), strtoll(argv[6], NULL, 10),
                          &url) == 0) {
        puts(url);
        rc = 0;
    }
    free(url);
    aws_client_free(c);
    free(endpoint);
    aws_credentials_free(&creds);
    return rc;
}
