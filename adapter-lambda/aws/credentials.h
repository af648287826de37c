/*
 * credentials.h — AWS credentials from the injected environment.
 *
 * Lambda gives a function its execution role's temporary credentials in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; elsewhere the same variables hold whatever
 * credentials the caller chose. They are read once, through the same struct env as the
 * configuration, copied by each client, wiped before their memory is freed and never logged.
 *
 * Thread-safety: reentrant; a struct aws_credentials is read-only once loaded.
 */
#ifndef TK_LAMBDA_AWS_CREDENTIALS_H
#define TK_LAMBDA_AWS_CREDENTIALS_H

#include <stddef.h>

#include "base/env.h"

/** Credentials; strings owned, release with aws_credentials_free(). */
struct aws_credentials {
    char *access_key_id;     /**< AWS_ACCESS_KEY_ID */
    char *secret_access_key; /**< AWS_SECRET_ACCESS_KEY */
    char *session_token;     /**< AWS_SESSION_TOKEN, NULL when unset or empty */
};

/**
 * Read the credentials from @p env (NULL: the process environment).
 * @param c    overwritten; on failure left empty (safe to free)
 * @param err  receives e.g. "no AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"
 * @return 0, or -1 when a key is missing or memory runs out
 */
int aws_credentials_from_env(struct aws_credentials *c, const struct env *env, char *err,
                             size_t errlen);

/**
 * Copy @p src into @p dst (a client keeps its own copy).
 * @return 0, or -1 when @p src lacks a key or memory runs out (@p dst then empty)
 */
int aws_credentials_copy(struct aws_credentials *dst, const struct aws_credentials *src);

/** Wipe and free the strings of @p c and zero it. NULL and zeroed credentials are fine. */
void aws_credentials_free(struct aws_credentials *c);

#endif /* TK_LAMBDA_AWS_CREDENTIALS_H */
