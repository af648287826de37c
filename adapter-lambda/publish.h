/*
 * publish.h — write one thumbnail so that at-least-once delivery stays harmless: a duplicated
 * event writes nothing new, and a late (older) event never replaces the thumbnail of a newer
 * upload.
 *
 * Each thumbnail carries its source in its metadata: source-bucket, source-key, source-etag,
 * source-version-id, source-sequencer (S3's event sequencer) and source-last-modified. Before
 * writing, the destination is read with HeadObject and the two sources are ordered:
 *   1. same source bucket and key, both with a sequencer: by sequencer (event_sequencer(): the
 *      same normalised form and order as the DynamoDB record's, record.h);
 *   2. otherwise, when both know it: by the source's Last-Modified second;
 *   3. otherwise equal.
 * An older source: nothing is written (PUBLISH_SUPERSEDED). An equal source whose stored ETag
 * is already the MD5 of these bytes: nothing is written (PUBLISH_UNCHANGED; engine output is
 * deterministic, so a duplicate makes the same bytes). Anything else is written with an S3
 * conditional write on what was read (If-Match: <ETag>, or If-None-Match: * where there was
 * nothing), so a writer that raced in between is noticed (412) and the decision is taken
 * again on what it wrote. The decision holds per destination object, so it holds for every
 * size of one upload.
 *
 * Needs s3:GetObject and s3:ListBucket on the destination (a missing key is then 404, not
 * 403) besides s3:PutObject.
 * Thread-safety: as the client's.
 */
#ifndef TK_LAMBDA_PUBLISH_H
#define TK_LAMBDA_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "aws/s3.h"

/** Where the thumbnail comes from. Strings may be NULL when unknown. */
struct publish_source {
    const char *bucket;
    const char *key; /**< decoded key */
    const char *etag;
    const char *version_id;
    const char *sequencer;
    int64_t last_modified; /**< epoch seconds, 0 when unknown */
};

/** What publish_thumbnail() did. */
enum publish_outcome {
    PUBLISH_WRITTEN,    /**< the thumbnail was written */
    PUBLISH_UNCHANGED,  /**< the same bytes from the same source were already there */
    PUBLISH_SUPERSEDED, /**< a thumbnail of a newer source is there: left alone */
};

/** @return "written", "unchanged" or "superseded". */
const char *publish_outcome_name(enum publish_outcome o);

/**
 * Order two sources of one destination object (rules above); a NULL/"" field is unknown.
 * @return <0 when @p a is older than @p b, 0 when equal or unknown, >0 when newer
 */
int publish_order(const struct publish_source *a, const struct publish_source *b);

/**
 * Write @p what (bucket, key, bytes, content type, cache control; its metadata and conditions
 * are set here) unless the rules above say not.
 * @param outcome  receives what was done (on AWS_OK)
 * @return AWS_OK, or the failure class of the last S3 call (AWS_ERR_TRANSIENT with code
 *         ConcurrentWrites when other writers kept winning the race)
 */
enum aws_status publish_thumbnail(struct aws_client *s3, const struct s3_put *what,
                                  const struct publish_source *src, enum publish_outcome *outcome,
                                  struct aws_error *e);

#endif /* TK_LAMBDA_PUBLISH_H */
