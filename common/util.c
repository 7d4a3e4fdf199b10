/*
 * util.c: ids, dates, hashes and canonical JSON; see util.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include "log.h"
#include "util.h"

int
util_id_valid(const char *s)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++) {
		char c = s[n];
		if (n >= ID_MAX)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	if (n == 0 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	return 1;
}

void
util_id_random(char *out)
{
	unsigned char	b[8];
	size_t		got = 0;

	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n > 0)
			got += (size_t)n;
		else if (n == -1 && errno != EINTR)
			fatal("getrandom");	/* no kernel RNG: nothing is safe */
	}
	util_hex(b, sizeof b, out);
}

static int
digits(const char *s, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
num(const char *s, int n)
{
	int	v = 0, i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int
date_part_valid(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	y, m, d, max;

	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return 0;
	y = num(s, 4);
	m = num(s + 5, 2);
	d = num(s + 8, 2);
	if (m < 1 || m > 12 || d < 1)
		return 0;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

int
util_date_valid(const char *s)
{
	return strlen(s) == 10 && date_part_valid(s);
}

int
util_datetime_valid(const char *s)
{
	const char	*p;

	if (strlen(s) < 20 || !date_part_valid(s))
		return 0;
	if (s[10] != 'T' && s[10] != 't')
		return 0;
	p = s + 11;
	if (!digits(p, 2) || p[2] != ':' || !digits(p + 3, 2) || p[5] != ':' ||
	    !digits(p + 6, 2))
		return 0;
	/* 60 allows a leap second, as RFC 3339 does. */
	if (num(p, 2) > 23 || num(p + 3, 2) > 59 || num(p + 6, 2) > 60)
		return 0;
	p += 8;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return 1;
	if ((*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' &&
	    digits(p + 4, 2) && p[6] == '\0')
		return num(p + 1, 2) <= 23 && num(p + 4, 2) <= 59;
	return 0;
}

void
util_now_rfc3339(char *out, size_t len)
{
	time_t		now = time(NULL);
	struct tm	tm;

	gmtime_r(&now, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

uint64_t
util_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void
util_hex(const unsigned char *in, size_t len, char *out)
{
	static const char	hexd[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hexd[in[i] >> 4];
		out[2 * i + 1] = hexd[in[i] & 15];
	}
	out[2 * len] = '\0';
}

int
util_fsync_dir(const char *path)
{
	char	dir[PATH_MAX], *s;
	int	fd, rc, e;

	if ((size_t)snprintf(dir, sizeof dir, "%s", path) >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((s = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (s == dir)
		s[1] = '\0';
	else
		*s = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

void
util_sha256_hex(const void *data, size_t len, char out[SHA256_HEX])
{
	unsigned char	md[32];

	mbedtls_sha256_ret(data, len, md, 0);
	util_hex(md, sizeof md, out);
}

char *
util_json_canonical(const json_t *v, size_t *len)
{
	char	*s;

	/*
	 * 15 significant digits: every decimal of up to 15 digits (hours such
	 * as 7.35) reads back as written, where jansson's default of 17 would
	 * show the binary value (7.3499999999999996).
	 */
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(15));
	if (s != NULL && len != NULL)
		*len = strlen(s);
	return s;
}

json_t *
util_json_merge_patch(const json_t *target, const json_t *patch)
{
	json_t		*out, *v, *m;
	const char	*k;

	if (!json_is_object(patch))
		return json_deep_copy(patch);
	out = json_is_object(target) ? json_deep_copy(target) : json_object();
	if (out == NULL)
		return NULL;
	json_object_foreach((json_t *)patch, k, v) {
		if (json_is_null(v)) {
			json_object_del(out, k);
			continue;
		}
		m = util_json_merge_patch(json_object_get(out, k), v);
		if (m == NULL || json_object_set_new(out, k, m) != 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* YYYY-MM-DD into out; the year is taken modulo 10000. */
static void
date_put(long y, unsigned m, unsigned d, char out[UTIL_DATE_LEN])
{
	unsigned	yy = (unsigned)(((y % 10000) + 10000) % 10000);

	out[0] = (char)('0' + yy / 1000);
	out[1] = (char)('0' + yy / 100 % 10);
	out[2] = (char)('0' + yy / 10 % 10);
	out[3] = (char)('0' + yy % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10 % 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10 % 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

/* Days from the civil date, after H. Hinnant's days_from_civil. */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

long
util_date_days(const char *date, int *ok)
{
	if (date == NULL || !util_date_valid(date)) {
		if (ok != NULL)
			*ok = 0;
		return 0;
	}
	if (ok != NULL)
		*ok = 1;
	return days_from_civil(num(date, 4), (unsigned)num(date + 5, 2),
	    (unsigned)num(date + 8, 2));
}

void
util_date_str(long z, char out[UTIL_DATE_LEN])
{
	long		era, y;
	unsigned	doe, yoe, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	date_put(y, m, d, out);
}

void
util_today(char out[UTIL_DATE_LEN])
{
	util_date_str((long)(time(NULL) / 86400), out);
}

static unsigned
month_days(long y, unsigned m)
{
	static const unsigned	mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

void
util_date_add_months(const char *date, int months, char out[UTIL_DATE_LEN])
{
	long		y = num(date, 4), mi;
	unsigned	d = (unsigned)num(date + 8, 2), last;

	mi = y * 12 + (num(date + 5, 2) - 1) + months;
	y = mi >= 0 ? mi / 12 : (mi - 11) / 12;
	mi -= y * 12;
	last = month_days(y, (unsigned)mi + 1);
	date_put(y, (unsigned)mi + 1, d > last ? last : d, out);
}

void
util_hours_str(uint64_t h, char out[UTIL_HOURS_LEN])
{
	if (h % 100 == 0)
		snprintf(out, UTIL_HOURS_LEN, "%" PRIu64, h / 100);
	else if (h % 10 == 0)
		snprintf(out, UTIL_HOURS_LEN, "%" PRIu64 ".%" PRIu64, h / 100,
		    h % 100 / 10);
	else
		snprintf(out, UTIL_HOURS_LEN, "%" PRIu64 ".%02" PRIu64,
		    h / 100, h % 100);
}

void
util_malloc_tune(void)
{
	/*
	 * A team check builds some 100 KB of results and frees them. With
	 * glibc's defaults the heap's top was handed back (trimmed) between
	 * checks and grown again, page faults and all, in some runs and not
	 * others. A server's working set is reused, not returned: keep up
	 * to 64 MB of freed heap, and take blocks up to 4 MB from it.
	 */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

void
util_sockaddr_host(const struct sockaddr *sa, char *host, unsigned *port)
{
	const struct sockaddr_in	*in;
	const struct sockaddr_in6	*in6;

	snprintf(host, UTIL_HOST_MAX, "?");
	*port = 0;
	if (sa != NULL && sa->sa_family == AF_INET) {
		in = (const struct sockaddr_in *)(const void *)sa;
		inet_ntop(AF_INET, &in->sin_addr, host, UTIL_HOST_MAX);
		*port = ntohs(in->sin_port);
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		in6 = (const struct sockaddr_in6 *)(const void *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, UTIL_HOST_MAX);
		*port = ntohs(in6->sin6_port);
	}
}

void
util_sockaddr_str(const struct sockaddr *sa, char *out, size_t len)
{
	char		host[UTIL_HOST_MAX];
	unsigned	port;
	int		v6 = sa != NULL && sa->sa_family == AF_INET6;

	util_sockaddr_host(sa, host, &port);
	snprintf(out, len, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
	    port);
}
