/*
 * aws_call.c — one call through the signed request helper (aws/request.h), for the tests.
 *
 *   aws_call SERVICE ENDPOINT_ID METHOD PATH [--query Q] [--header "Name: value"]...
 *            [--body TEXT] [--trace ID] [--deadline-in-ms N]
 *
 * SERVICE is the signing name ("dynamodb", "sts"), ENDPOINT_ID the SDK id of the endpoint
 * variable (AWS_ENDPOINT_URL_<ENDPOINT_ID>, else AWS_ENDPOINT_URL). Region and credentials
 * come from the environment, as in bootstrap. Prints one JSON object: status, http, code,
 * message, requestId, attempts, body. Exit status 0 when the call was made (whatever its
 * outcome), 2 on a usage or set-up error.
 */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials.h"
#include "aws/endpoint.h"
#include "aws/request.h"
#include "tk_clock.h"

#define MAX_ARGS_HEADERS 8

static int usage(void) {
    fputs("usage: aws_call SERVICE ENDPOINT_ID METHOD PATH [--query Q] [--header 'N: v']...\n"
          "                [--body TEXT] [--trace ID] [--deadline-in-ms N]\n",
          stderr);
    return 2;
}

/* "Name: value" into a header (the argument string is split in place). */
static int parse_header(char *arg, struct sigv4_header *h) {
    char *colon = strchr(arg, ':');
    if (colon == NULL) {
        return -1;
    }
    *colon = '\0';
    h->name = arg;
    h->value = colon + 1 + strspn(colon + 1, " ");
    return 0;
}

static void print_result(enum aws_status st, const struct http_response *resp,
                         const struct aws_error *e) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", aws_status_name(st));
    cJSON_AddNumberToObject(o, "http", (double)(st == AWS_OK ? resp->status : e->http_status));
    cJSON_AddStringToObject(o, "code", e->code);
    cJSON_AddStringToObject(o, "message", e->message);
    cJSON_AddStringToObject(o, "requestId", e->request_id);
    cJSON_AddNumberToObject(o, "attempts", (double)e->attempts);
    cJSON_AddStringToObject(o, "body", st == AWS_OK && resp->body ? resp->body : "");
    char *text = cJSON_PrintUnformatted(o);
    puts(text ? text : "{}");
    free(text);
    cJSON_Delete(o);
}

int main(int argc, char **argv) {
    struct sigv4_header headers[MAX_ARGS_HEADERS];
    struct aws_request r = {.max_body = 1u << 20};
    const char *trace = NULL;
    long deadline_in = 0;
    if (argc < 5) {
        return usage();
    }
    r.method = argv[3];
    r.path = argv[4];
    for (int i = 5; i < argc; i += 2) {
        if (i + 1 >= argc) {
            return usage();
        }
        if (strcmp(argv[i], "--query") == 0) {
            r.query = argv[i + 1];
        } else if (strcmp(argv[i], "--header") == 0 && r.n_headers < MAX_ARGS_HEADERS &&
                   parse_header(argv[i + 1], &headers[r.n_headers]) == 0) {
            r.n_headers++;
        } else if (strcmp(argv[i], "--body") == 0) {
            r.body = argv[i + 1];
            r.body_len = strlen(argv[i + 1]);
        } else if (strcmp(argv[i], "--trace") == 0) {
            trace = argv[i + 1];
        } else if (strcmp(argv[i], "--deadline-in-ms") == 0) {
            deadline_in = strtol(argv[i + 1], NULL, 10);
        } else {
            return usage();
        }
    }
    r.headers = headers;

    char err[300];
    char *endpoint = NULL;
    struct aws_credentials creds;
    struct aws_client *c = NULL;
    if (aws_endpoint_from_env(NULL, argv[2], &endpoint, err, sizeof err) != 0 ||
        aws_credentials_from_env(&creds, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "aws_call: %s\n", err);
        free(endpoint);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct aws_client_config cfg = {
        .service = argv[1],
        .region = getenv("AWS_REGION"),
        .endpoint = endpoint,
        .credentials = &creds,
    };
    int rc = 2;
    if (aws_client_create(&cfg, &c, err, sizeof err) != 0) {
        fprintf(stderr, "aws_call: %s\n", err);
    } else {
        aws_client_set_invocation(c, deadline_in > 0 ? tk_clock_wall_ms() + deadline_in : 0, trace);
        struct http_response resp;
        struct aws_error e;
        enum aws_status st = aws_send(c, &r, &resp, &e);
        if (st == AWS_OK) {
            aws_response_header(c, "x-amzn-RequestId", e.request_id, sizeof e.request_id);
        }
        print_result(st, &resp, &e);
        http_response_free(&resp);
        rc = 0;
    }
    aws_client_free(c);
    aws_credentials_free(&creds);
    free(endpoint);
    curl_global_cleanup();
    return rc;
}
