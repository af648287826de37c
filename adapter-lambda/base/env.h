/*
 * env.h — where settings come from: the process environment, or a table a test passes.
 *
 * Everything the function reads at cold start (configuration, credentials, endpoints) goes
 * through one struct env, so tests inject their own environment instead of calling setenv().
 *
 * Thread-safety: reentrant; env_process() reads the process environment (getenv).
 */
#ifndef TK_LAMBDA_BASE_ENV_H
#define TK_LAMBDA_BASE_ENV_H

/** An environment lookup: @return the value of @p name, or NULL when unset. */
typedef const char *(*env_get_fn)(const char *name, void *ctx);

/** An environment: a lookup function and its context. */
struct env {
    env_get_fn get; /**< never NULL in a usable env */
    void *ctx;      /**< passed to get */
};

/** @return the process environment (getenv). */
struct env env_process(void);

/** @return the value of @p name as set, "" included; NULL when unset. NULL @p e: the process
 *  environment. */
const char *env_raw(const struct env *e, const char *name);

/** @return the value of @p name, or NULL when unset or empty (an empty variable counts as
 *  unset). NULL @p e: the process environment. */
const char *env_get(const struct env *e, const char *name);

#endif /* TK_LAMBDA_BASE_ENV_H */
