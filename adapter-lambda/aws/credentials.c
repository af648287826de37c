/* credentials.c — AWS credentials from the injected environment (see credentials.h). */
#include "aws/credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static void wipe_free(char *s) {
    if (s != NULL) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

void aws_credentials_free(struct aws_credentials *c) {
    if (c != NULL) {
        wipe_free(c->access_key_id);
        wipe_free(c->secret_access_key);
        wipe_free(c->session_token);
        memset(c, 0, sizeof *c);
    }
}

/* Copy the three values (token optional); -1 when a key is missing or memory runs out. */
static int set(struct aws_credentials *c, const char *akid, const char *secret, const char *token) {
    memset(c, 0, sizeof *c);
    if (akid == NULL || akid[0] == '\0' || secret == NULL || secret[0] == '\0') {
        return -1;
    }
    c->access_key_id = strdup(akid);
    c->secret_access_key = strdup(secret);
    if (token != NULL && token[0] != '\0') {
        c->session_token = strdup(token);
        if (c->session_token == NULL) {
            goto fail;
        }
    }
    if (c->access_key_id == NULL || c->secret_access_key == NULL) {
        goto fail;
    }
    return 0;
fail:
    aws_credentials_free(c);
    return -1;
}

int aws_credentials_copy(struct aws_credentials *dst, const struct aws_credentials *src) {
    return set(dst, src->access_key_id, src->secret_access_key, src->session_token);
}

int aws_credentials_from_env(struct aws_credentials *c, const struct env *env, char *err,
                             size_t errlen) {
    const char *akid = env_get(env, "AWS_ACCESS_KEY_ID");
    const char *secret = env_get(env, "AWS_SECRET_ACCESS_KEY");
    if (akid == NULL || secret == NULL) {
        memset(c, 0, sizeof *c);
        snprintf(err, errlen, "no AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
        return -1;
    }
    if (set(c, akid, secret, env_get(env, "AWS_SESSION_TOKEN")) != 0) {
        snprintf(err, errlen, "out of memory reading the AWS credentials");
        return -1;
    }
    return 0;
}
