/* endpoint.c — the SDKs' endpoint convention (see endpoint.h). */
#define _GNU_SOURCE
#include "aws/endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

int aws_endpoint_from_env(const struct env *env, const char *service_id, char **url, char *err,
                          size_t errlen) {
    char name[64];
    snprintf(name, sizeof name, "AWS_ENDPOINT_URL_%s", service_id);
    const char *v = env_get(env, name);
    if (v == NULL) {
        snprintf(name, sizeof name, "AWS_ENDPOINT_URL");
        v = env_get(env, name);
    }
    *url = NULL;
    if (v == NULL) {
        return 0;
    }
    size_t scheme = strncmp(v, "http://", 7) == 0 ? 7 : strncmp(v, "https://", 8) == 0 ? 8 : 0;
    const char *problem = NULL;
    if (scheme == 0 || v[scheme] == '\0' || v[scheme] == '/') {
        problem = "expected http://host[:port] or https://host[:port]";
    }
    for (const char *p = v; problem == NULL && *p != '\0'; p++) {
        if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) {
            problem = "contains white space or control characters";
        }
    }
    if (problem != NULL) {
        snprintf(err, errlen, "%s='%s' is invalid: %s", name, v, problem);
        return -1;
    }
    size_t n = strlen(v);
    while (n > scheme && v[n - 1] == '/') {
        n--;
    }
    *url = strndup(v, n);
    if (*url == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

const char *aws_endpoint_dns_suffix(const char *region) {
    return strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
}

static void free3(char *a, char *b, char *c) {
    free(a);
    free(b);
    free(c);
}

void aws_endpoint_free(struct aws_endpoint *ep) {
    if (ep != NULL) {
        free3(ep->origin, ep->host, ep->base);
        memset(ep, 0, sizeof *ep);
    }
}

int aws_endpoint_init(struct aws_endpoint *ep, const char *url, const char *service,
                      const char *region) {
    memset(ep, 0, sizeof *ep);
    if (url == NULL || url[0] == '\0') {
        ep->host = text_printf("%s.%s.%s", service, region, aws_endpoint_dns_suffix(region));
        ep->origin = ep->host ? text_printf("https://%s", ep->host) : NULL;
        ep->base = strdup("");
    } else {
        const char *sep = strstr(url, "://");
        const char *host = sep != NULL ? sep + 3 : NULL;
        size_t host_len = host != NULL ? strcspn(host, "/?#") : 0;
        if (host_len == 0) {
            return -1;
        }
        const char *base = host + host_len;
        size_t base_len = strcspn(base, "?#");
        while (base_len && base[base_len - 1] == '/') {
            base_len--;
        }
        ep->custom = true;
        ep->origin = strndup(url, (size_t)(host + host_len - url));
        ep->host = strndup(host, host_len);
        ep->base = strndup(base, base_len);
    }
    if (ep->origin == NULL || ep->host == NULL || ep->base == NULL) {
        aws_endpoint_free(ep);
        return -1;
    }
    return 0;
}

void aws_address_free(struct aws_address *a) {
    if (a != NULL) {
        free3(a->url, a->host, a->path);
        memset(a, 0, sizeof *a);
    }
}

int aws_address_init(struct aws_address *a, const struct aws_endpoint *ep, const char *host,
                     const char *path, const char *query) {
    memset(a, 0, sizeof *a);
    bool q = query != NULL && query[0] != '\0';
    a->host = strdup(host != NULL ? host : ep->host);
    a->path = text_printf("%s%s", host != NULL ? "" : ep->base, path != NULL ? path : "/");
    if (a->host != NULL && a->path != NULL) {
        a->url = text_printf("%s%s%s%s%s", host != NULL ? "https://" : ep->origin,
                             host != NULL ? host : "", a->path, q ? "?" : "", q ? query : "");
    }
    if (a->url == NULL) {
        aws_address_free(a);
        return -1;
    }
    return 0;
}
