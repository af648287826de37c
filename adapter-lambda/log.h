/*
 * log.h — structured logs: one JSON object per line.
 *
 *   {"timestamp":"2026-11-22T03:58:54.123Z","level":"INFO","requestId":"...",
 *    "message":"thumbnail written","key":"a b.jpg","bytes":1234,"ms":12.5}
 *
 * Lines are built with cJSON, so every name and value is escaped correctly.
 * The clock is injected (tests pin it). Fields named like the fixed members
 * ("timestamp", "level", "requestId", "message") are ignored, never duplicated.
 * There is deliberately no API that takes credentials; callers log names, keys
 * and statuses, never secrets or request signatures.
 *
 * Thread-safety: a struct log_ctx is used by one thread at a time; each line is
 * written with a single fwrite() followed by fflush().
 */
#ifndef TK_LAMBDA_LOG_H
#define TK_LAMBDA_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** Severity, lowest first; the names are those of AWS_LAMBDA_LOG_LEVEL. */
enum log_level {
    LOG_LEVEL_TRACE,
    LOG_LEVEL_DEBUG,
    LOG_LEVEL_INFO,
    LOG_LEVEL_WARN,
    LOG_LEVEL_ERROR,
    LOG_LEVEL_FATAL,
};

/** @return "TRACE", "DEBUG", "INFO", "WARN", "ERROR" or "FATAL" ("INFO" if out of range). */
const char *log_level_name(enum log_level l);

/** Parse a level name, case-insensitive ("warn", "WARN"). @return 0, or -1 if unknown. */
int log_level_parse(const char *s, enum log_level *out);

/** Type of one extra field. */
enum log_field_type {
    LOG_STR,  /**< v.s: NUL-terminated string (NULL is written as JSON null) */
    LOG_INT,  /**< v.i: signed 64-bit integer, written exactly */
    LOG_NUM,  /**< v.d: double (non-finite values are written as null) */
    LOG_BOOL, /**< v.b */
    LOG_JSON, /**< v.j: a cJSON value, copied into the line (NULL is written as JSON null) */
};

/** One extra member of a log line; the caller owns name and string value. */
struct log_field {
    const char *name;
    enum log_field_type type;
    union {
        const char *s;
        int64_t i;
        double d;
        bool b;
        const void *j; /* const cJSON * (log.h does not include cJSON) */
    } v;
};

/** Field constructors, e.g. LOG_F_STR("key", key), for use in a compound-literal array. */
#define LOG_F_STR(n, x)  ((struct log_field){.name = (n), .type = LOG_STR, .v.s = (x)})
#define LOG_F_INT(n, x)  ((struct log_field){.name = (n), .type = LOG_INT, .v.i = (int64_t)(x)})
#define LOG_F_NUM(n, x)  ((struct log_field){.name = (n), .type = LOG_NUM, .v.d = (double)(x)})
#define LOG_F_BOOL(n, x) ((struct log_field){.name = (n), .type = LOG_BOOL, .v.b = (x)})
#define LOG_F_JSON(n, x) ((struct log_field){.name = (n), .type = LOG_JSON, .v.j = (x)})

/** A wall clock: @return milliseconds since the Unix epoch (UTC). */
typedef uint64_t (*log_clock_fn)(void *ctx);

/** The real clock (CLOCK_REALTIME); @p ctx is ignored. */
uint64_t log_clock_realtime(void *ctx);

/** Logger state. Set it up with log_init(); the members are read-only for callers. */
struct log_ctx {
    FILE *out;            /**< where lines go; not owned */
    enum log_level min;   /**< lines below this level are dropped */
    log_clock_fn clock;   /**< timestamp source */
    void *clock_ctx;      /**< passed to clock */
    char request_id[128]; /**< current Lambda request id ("" between invocations) */
};

/**
 * Set up @p lg. NULL @p out means stdout; NULL @p clock means log_clock_realtime.
 */
void log_init(struct log_ctx *lg, FILE *out, enum log_level min, log_clock_fn clock,
              void *clock_ctx);

/** Set the request id put on every following line (NULL or "" clears it; longer
 *  than 127 bytes is truncated). */
void log_set_request_id(struct log_ctx *lg, const char *request_id);

/** @return whether a line at @p level would be written (skip building costly fields). */
bool log_enabled(const struct log_ctx *lg, enum log_level level);

/**
 * Format @p ms (milliseconds since the epoch) as RFC 3339 UTC with milliseconds,
 * "YYYY-MM-DDTHH:MM:SS.mmmZ", into @p buf (at least 25 bytes).
 * @return 0, or -1 if @p size is too small or the year is outside 0..9999
 */
int log_rfc3339(uint64_t ms, char *buf, size_t size);

/**
 * Build one log line (JSON object, no trailing newline) without writing it.
 * Ignores the level filter. requestId is omitted when no request id is set.
 * @return a malloc'd string (free()), or NULL when memory runs out
 */
char *log_format(const struct log_ctx *lg, enum log_level level, const char *message,
                 const struct log_field *fields, size_t n_fields);

/**
 * Write one line at @p level if it passes the level filter.
 * @param fields  @p n_fields extra members (may be NULL when n_fields is 0)
 * @return 0 when written or filtered out, -1 on allocation or write failure
 */
int log_write(struct log_ctx *lg, enum log_level level, const char *message,
              const struct log_field *fields, size_t n_fields);

#endif /* TK_LAMBDA_LOG_H */
