/*
 * fuzz_s3_response.c — libFuzzer target: S3 HTTP response handling, end to end.
 *
 * A loopback server thread answers each request with the input's bytes, raw (status line,
 * headers, body) and closes, so libcurl's parser, the adapter's header and body callbacks
 * (Content-Length bound, streaming bound), the error-body parser, the retry decision and the
 * S3 client's checks of what came back (length, checksum, ETag) all see hostile responses. The
 * first byte picks the call: 'G' GetObject, 'P' PutObject (conditional by the second byte),
 * 'H' HeadObject, anything else GetObject pinned to a version; the second byte is also the
 * size the "event" gives.
 */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "aws/s3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
    pthread_mutex_t lock;
    uint8_t *reply; /* the harness's own copy: a late connection may outlive one input */
    size_t reply_len;
    int listen_fd;
    int port;
} srv = {.lock = PTHREAD_MUTEX_INITIALIZER, .listen_fd = -1};

static struct aws_client *client;

/* Read the request head (and a body up to Content-Length, which the client sends whole). */
static void drain_request(int fd) {
    char buf[8192];
    size_t got = 0;
    while (got < sizeof buf - 1) {
        ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (n <= 0) {
            return;
        }
        got += (size_t)n;
        buf[got] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end == NULL) {
            continue;
        }
        const char *cl = strcasestr(buf, "\r\ncontent-length:");
        size_t want = cl != NULL ? strtoul(cl + 17, NULL, 10) : 0;
        size_t have = got - (size_t)(end + 4 - buf);
        while (have < want) {
            n = recv(fd, buf, sizeof buf, 0);
            if (n <= 0) {
                return;
            }
            have += (size_t)n;
        }
        return;
    }
}

static void *serve(void *arg) {
    (void)arg;
    for (;;) {
        int fd = accept(srv.listen_fd, NULL, NULL);
        if (fd < 0) {
            continue;
        }
        drain_request(fd);
        pthread_mutex_lock(&srv.lock);
        size_t off = 0;
        while (off < srv.reply_len) {
            ssize_t n = send(fd, srv.reply + off, srv.reply_len - off, MSG_NOSIGNAL);
            if (n <= 0) {
                break;
            }
            off += (size_t)n;
        }
        pthread_mutex_unlock(&srv.lock);
        shutdown(fd, SHUT_WR);
        close(fd);
    }
    return NULL;
}

static void start(void) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    srv.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (srv.listen_fd < 0 || bind(srv.listen_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(srv.listen_fd, 16) != 0 ||
        getsockname(srv.listen_fd, (struct sockaddr *)&a, &alen) != 0) {
        abort();
    }
    srv.port = ntohs(a.sin_port);
    pthread_t t;
    if (pthread_create(&t, NULL, serve, NULL) != 0) {
        abort();
    }
    pthread_detach(t);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    char endpoint[64], err[256];
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d", srv.port);
    static char akid[] = "AKIDEXAMPLE", secret[] = "secret";
    struct aws_credentials creds = {akid, secret, NULL};
    static struct retry_xorshift rng = {0x1234567};
    struct retry_policy retry;
    retry_policy_default(&retry, &rng);
    retry.max_attempts = 2; /* one retry: the retry path runs too, without sleeping */
    retry.sleep = NULL;
    struct aws_client_config cfg = {.service = S3_SERVICE,
                                    .region = "us-east-1",
                                    .endpoint = endpoint,
                                    .credentials = &creds,
                                    .retry = &retry,
                                    .attempt_timeout_ms = 5000};
    if (aws_client_create(&cfg, &client, err, sizeof err) != 0) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (client == NULL) {
        start();
    }
    if (size < 1) {
        return 0;
    }
    uint8_t *copy = malloc(size);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data + 1, size - 1);
    pthread_mutex_lock(&srv.lock);
    free(srv.reply);
    srv.reply = copy;
    srv.reply_len = size - 1;
    pthread_mutex_unlock(&srv.lock);

    struct aws_error e;
    static const uint8_t thumb[] = {0xFF, 0xD8, 0xFF, 0xD9};
    if (data[0] == 'P') {
        struct s3_meta meta[] = {{"source-key", "a%20b.jpg"}};
        struct s3_put p = {.bucket = "dst",
                           .key = "thumbnails/a b.jpg",
                           .data = thumb,
                           .size = sizeof thumb,
                           .content_type = "image/jpeg",
                           .meta = meta,
                           .n_meta = 1,
                           .if_match = size > 1 && (data[1] & 1) ? "\"abc\"" : NULL,
                           .if_none_match = size > 1 && (data[1] & 2)};
        char etag[80];
        if (s3_put(client, &p, etag, &e) == AWS_OK && strnlen(etag, sizeof etag) == sizeof etag) {
            abort();
        }
    } else if (data[0] == 'H') {
        static const char *const names[] = {"source-sequencer", "source-last-modified", NULL};
        struct s3_head h;
        if (s3_head_object(client, "dst", "thumbnails/a b.jpg", NULL, names, &h, &e) == AWS_OK &&
            !h.exists && (h.size != 0 || h.etag[0] != '\0')) {
            abort(); /* a missing object says nothing else */
        }
    } else {
        /* 'G': as an event describes it; anything else: pinned to a version */
        struct s3_get g = {.bucket = "src",
                           .key = "photos/a b.jpg",
                           .version_id = data[0] == 'G' ? NULL : "3/L4kqtJl+cpXroDTDmJ",
                           .expected_size = size > 1 ? data[1] : 0,
                           .expected_etag = "\"abc\"",
                           .max_bytes = 1u << 20};
        struct s3_object obj;
        enum aws_status st = s3_get_object(client, &g, &obj, &e);
        if (st == AWS_OK && (obj.data == NULL || obj.verified_by == NULL)) {
            abort(); /* success hands over bytes that were checked against the object */
        }
        if (st == AWS_OK && obj.size > g.max_bytes) {
            abort(); /* the byte limit holds whatever the headers say */
        }
        s3_object_free(&obj);
    }
    return 0;
}
