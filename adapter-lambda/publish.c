/*
 * publish.c — ordered, conditional thumbnail writes (see publish.h).
 */
#include "publish.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/checksum.h"
#include "base/text.h"
#include "base/urlcode.h"
#include "events/event.h"

/* HEAD + conditional PUT rounds before giving up to concurrent writers. */
#define MAX_ROUNDS 4

static const char *const outcome_names[] = {"written", "unchanged", "superseded"};

const char *publish_outcome_name(enum publish_outcome o) {
    return (size_t)o < sizeof outcome_names / sizeof outcome_names[0] ? outcome_names[o]
                                                                      : "unknown";
}

static bool known(const char *s) {
    return s != NULL && s[0] != '\0';
}

int publish_order(const struct publish_source *a, const struct publish_source *b) {
    bool same_object = known(a->bucket) && known(b->bucket) && known(a->key) && known(b->key) &&
                       strcmp(a->bucket, b->bucket) == 0 && strcmp(a->key, b->key) == 0;
    char sa[EVENT_SEQUENCER_LEN + 1], sb[EVENT_SEQUENCER_LEN + 1];
    if (same_object && event_sequencer(a->sequencer, sa) && event_sequencer(b->sequencer, sb)) {
        int c = strcmp(sa, sb);
        return (c > 0) - (c < 0);
    }
    if (a->last_modified > 0 && b->last_modified > 0) {
        return (a->last_modified > b->last_modified) - (a->last_modified < b->last_modified);
    }
    return 0;
}

/* The metadata names the source is kept under (HeadObject reads the first four back). */
enum { M_BUCKET, M_KEY, M_SEQUENCER, M_LAST_MODIFIED, M_ETAG, M_VERSION, N_META };
static const char *const meta_names[] = {
    "source-bucket",     "source-key", "source-sequencer", "source-last-modified", "source-etag",
    "source-version-id", NULL};

/* The source as the existing thumbnail's metadata tells it (the key stays encoded). */
static void existing_source(const struct s3_head *h, char *key, size_t keylen,
                            struct publish_source *out) {
    char *dec = NULL;
    text_copy(key, keylen, h->meta[M_KEY]);
    if (urlcode_form_decode(h->meta[M_KEY], &dec) == 0) {
        text_copy(key, keylen, dec);
        free(dec);
    }
    *out = (struct publish_source){.bucket = h->meta[M_BUCKET],
                                   .key = key,
                                   .sequencer = h->meta[M_SEQUENCER],
                                   .last_modified = strtoll(h->meta[M_LAST_MODIFIED], NULL, 10)};
}

/* Metadata values must be printable ASCII: the key is percent-encoded, the rest filtered. */
struct meta_values {
    char *key;
    char etag[96], version[160], sequencer[EVENT_SEQUENCER_LEN + 1], modified[24];
    struct s3_meta m[N_META];
    size_t n;
};

static void add(struct meta_values *v, int which, const char *value) {
    if (known(value)) {
        v->m[v->n++] = (struct s3_meta){meta_names[which], value};
    }
}

static int build_meta(const struct publish_source *src, struct meta_values *v) {
    memset(v, 0, sizeof *v);
    v->key = urlcode_encode(src->key ? src->key : "", true);
    if (!v->key) {
        return -1;
    }
    text_printable(v->etag, sizeof v->etag, src->etag, false, "\"");
    text_printable(v->version, sizeof v->version, src->version_id, false, NULL);
    event_sequencer(src->sequencer, v->sequencer); /* "" when there is none */
    if (src->last_modified > 0) {
        snprintf(v->modified, sizeof v->modified, "%" PRId64, src->last_modified);
    }
    add(v, M_BUCKET, src->bucket);
    add(v, M_KEY, v->key);
    add(v, M_SEQUENCER, v->sequencer);
    add(v, M_LAST_MODIFIED, v->modified);
    add(v, M_ETAG, v->etag);
    add(v, M_VERSION, v->version);
    return 0;
}

enum aws_status publish_thumbnail(struct aws_client *s3, const struct s3_put *what,
                                  const struct publish_source *src, enum publish_outcome *outcome,
                                  struct aws_error *e) {
    struct meta_values mv;
    char md5[33];
    if (build_meta(src, &mv) != 0 || checksum_md5_hex(what->data, what->size, md5) != 0) {
        free(mv.key);
        aws_error_set(e, 0, "no_memory", "out of memory preparing the thumbnail's metadata");
        return AWS_ERR_NO_MEMORY;
    }
    enum aws_status st = AWS_ERR_TRANSIENT;
    int round;
    for (round = 0; round < MAX_ROUNDS; round++) {
        struct s3_head h;
        st = s3_head_object(s3, what->bucket, what->key, NULL, meta_names, &h, e);
        if (st != AWS_OK) {
            break;
        }
        if (h.exists) {
            char old_key[1100];
            struct publish_source old;
            existing_source(&h, old_key, sizeof old_key, &old);
            int order = publish_order(src, &old);
            if (order < 0 || (order == 0 && strcmp(h.etag, md5) == 0)) {
                *outcome = order < 0 ? PUBLISH_SUPERSEDED : PUBLISH_UNCHANGED;
                break;
            }
        }
        struct s3_put p = *what;
        p.meta = mv.m;
        p.n_meta = mv.n;
        p.if_match = h.exists ? h.etag : NULL;
        p.if_none_match = !h.exists;
        st = s3_put(s3, &p, NULL, e);
        if (st == AWS_OK) {
            *outcome = PUBLISH_WRITTEN;
            break;
        }
        /* Someone wrote in between (412), or what S3 stored is not what was sent: look again. */
        bool again = (e && strcmp(e->code, "PreconditionFailed") == 0) ||
                     (e && strcmp(e->code, "StoredObjectMismatch") == 0);
        if (!again) {
            break;
        }
        st = AWS_ERR_TRANSIENT;
    }
    if (round == MAX_ROUNDS) {
        aws_error_set(e, 0, "ConcurrentWrites", "other writers kept replacing the thumbnail");
    }
    free(mv.key);
    return st;
}
