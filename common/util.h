/*
 * util.h: small helpers both programs share: record ids, dates, SHA-256 hex,
 * random ids, canonical JSON bytes.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#define ID_MAX		64	/* longest record id */
#define SHA256_HEX	65	/* 64 hex digits and a NUL */

/* 1 if s is a record id: [A-Za-z0-9._-]{1,64}, and not "." or "..". */
int	util_id_valid(const char *s);

/* Fill out (ID_MAX + 1 bytes) with a fresh random id of 16 hex digits. */
void	util_id_random(char *out);

/* 1 if s is a calendar date YYYY-MM-DD (leap years checked). */
int	util_date_valid(const char *s);

/*
 * Dates as day numbers (days since 1970-01-01, negative before), for
 * arithmetic on YYYY-MM-DD strings. util_date_days answers 0 and sets
 * *ok to 0 for a string that is not a valid date (ok may be NULL only
 * for dates known to be valid). util_date_str writes YYYY-MM-DD into out
 * (11 bytes).
 */
#define UTIL_DATE_LEN	11
long	util_date_days(const char *date, int *ok);
void	util_date_str(long days, char out[UTIL_DATE_LEN]);

/* Today's date in UTC into out. */
void	util_today(char out[UTIL_DATE_LEN]);

/*
 * date moved by months calendar months (negative: back), the day clamped
 * to the target month's last day (2027-03-31 minus one month is
 * 2027-02-28), into out. date must be valid.
 */
void	util_date_add_months(const char *date, int months,
	    char out[UTIL_DATE_LEN]);

/* 1 if s is an RFC 3339 date-time (date, 'T', time, 'Z' or +hh:mm offset). */
int	util_datetime_valid(const char *s);

/* Write the current UTC time as YYYY-MM-DDTHH:MM:SSZ into out (>= 21 bytes). */
void	util_now_rfc3339(char *out, size_t len);

/* CLOCK_MONOTONIC in µs: for durations, never for dates. */
uint64_t util_now_us(void);

/*
 * fsync the directory that holds path, so that a rename or create in it
 * is durable. 0, or -1 with errno set.
 */
int	util_fsync_dir(const char *path);

/* Lower-case hex of SHA-256(data) into out[SHA256_HEX]. */
void	util_sha256_hex(const void *data, size_t len, char out[SHA256_HEX]);

/* Hundredths of an hour as a person writes them: "20", "18.5", "7.25". */
#define UTIL_HOURS_LEN	24
void	util_hours_str(uint64_t hundredths, char out[UTIL_HOURS_LEN]);

/*
 * Tune glibc's malloc for a long-running server: blocks up to 4 MB come
 * from the heap, and up to 64 MB of freed heap is kept (auditord's main
 * and the in-process benchmarks call it first thing).
 */
void	util_malloc_tune(void);

/* Lower-case hex of len bytes. out must hold 2 * len + 1 bytes. */
void	util_hex(const unsigned char *in, size_t len, char *out);

struct sockaddr;

#define UTIL_HOST_MAX	46	/* INET6_ADDRSTRLEN */

/*
 * An IPv4 or IPv6 socket address's host ("127.0.0.1", "::1") into host
 * (UTIL_HOST_MAX bytes) and its port into *port; "?" and 0 for another
 * family or NULL.
 */
void	util_sockaddr_host(const struct sockaddr *, char *host,
	    unsigned *port);

/* The same as "127.0.0.1:8443" or "[::1]:8443" into out. */
void	util_sockaddr_str(const struct sockaddr *, char *out, size_t len);

/*
 * The canonical bytes of a JSON value: compact, keys sorted, UTF-8 as is,
 * real numbers to 15 significant digits.
 * Returns a malloc'd NUL-terminated string the caller frees, length in *len.
 * NULL on allocation failure.
 */
char	*util_json_canonical(const json_t *v, size_t *len);

/*
 * RFC 7396 merge patch: the result of applying patch to target, as a new
 * reference the caller owns (target and patch are not changed). A patch
 * that is not an object replaces the target; null members remove keys.
 * NULL when memory ran out.
 */
json_t	*util_json_merge_patch(const json_t *target, const json_t *patch);

#endif
