/*
 * test_util.c: ids, dates, hashes, canonical JSON, RFC 7396 merge patch
 * (common/util.c) and the rev scanner the daemon uses for ETags
 * (http_doc_rev).
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"

#include "server/http.h"
#include "util.h"

static void
test_ids(void)
{
	char	id[ID_MAX + 1];

	CU_ASSERT_TRUE(util_id_valid("alice"));
	CU_ASSERT_TRUE(util_id_valid("A-1_b.c"));
	CU_ASSERT_TRUE(util_id_valid("a"));
	CU_ASSERT_FALSE(util_id_valid(""));
	CU_ASSERT_FALSE(util_id_valid("."));
	CU_ASSERT_FALSE(util_id_valid(".."));
	CU_ASSERT_FALSE(util_id_valid("a b"));
	CU_ASSERT_FALSE(util_id_valid("a/b"));
	CU_ASSERT_FALSE(util_id_valid("é"));
	memset(id, 'x', 64);
	id[64] = '\0';
	CU_ASSERT_TRUE(util_id_valid(id));
	{
		char longer[66];
		memset(longer, 'x', 65);
		longer[65] = '\0';
		CU_ASSERT_FALSE(util_id_valid(longer));
	}
	util_id_random(id);
	CU_ASSERT_EQUAL(strlen(id), 16);
	CU_ASSERT_TRUE(util_id_valid(id));
	{
		char other[ID_MAX + 1];
		util_id_random(other);
		CU_ASSERT_STRING_NOT_EQUAL(id, other);
	}
}

static void
test_dates(void)
{
	CU_ASSERT_TRUE(util_date_valid("2026-11-28"));
	CU_ASSERT_TRUE(util_date_valid("2024-02-29"));
	CU_ASSERT_FALSE(util_date_valid("2026-02-29"));
	CU_ASSERT_FALSE(util_date_valid("1900-02-29"));
	CU_ASSERT_TRUE(util_date_valid("2000-02-29"));
	CU_ASSERT_FALSE(util_date_valid("2026-13-01"));
	CU_ASSERT_FALSE(util_date_valid("2026-04-31"));
	CU_ASSERT_FALSE(util_date_valid("2026-4-1"));
	CU_ASSERT_FALSE(util_date_valid("2026-04-01T00:00:00Z"));

	CU_ASSERT_TRUE(util_datetime_valid("2026-11-28T10:00:00Z"));
	CU_ASSERT_TRUE(util_datetime_valid("2026-11-28T10:00:00.123Z"));
	CU_ASSERT_TRUE(util_datetime_valid("2026-11-28T10:00:00+01:00"));
	CU_ASSERT_TRUE(util_datetime_valid("2026-11-28t10:00:00z"));
	CU_ASSERT_FALSE(util_datetime_valid("2026-11-28T10:00:00"));
	CU_ASSERT_FALSE(util_datetime_valid("2026-11-28 10:00:00Z"));
	CU_ASSERT_FALSE(util_datetime_valid("2026-11-28T24:00:00Z"));
	CU_ASSERT_FALSE(util_datetime_valid("2026-02-30T00:00:00Z"));
	CU_ASSERT_FALSE(util_datetime_valid("2026-11-28T10:00:00.Z"));
	CU_ASSERT_FALSE(util_datetime_valid("2026-11-28T10:00:00+1:00"));

	{
		char now[32];
		util_now_rfc3339(now, sizeof now);
		CU_ASSERT_TRUE(util_datetime_valid(now));
		CU_ASSERT_EQUAL(strlen(now), 20);
	}
}

static void
test_hash(void)
{
	char	hex[SHA256_HEX];

	util_sha256_hex("abc", 3, hex);
	CU_ASSERT_STRING_EQUAL(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	util_sha256_hex("", 0, hex);
	CU_ASSERT_STRING_EQUAL(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

static void
test_canonical(void)
{
	json_t	*a, *b;
	char	*sa, *sb;
	size_t	 la, lb;

	a = json_loads("{\"b\": 1, \"a\": {\"d\": [1, 2], \"c\": \"x\"}}", 0,
	    NULL);
	b = json_loads("{\"a\":{\"c\":\"x\",\"d\":[1,2]},\"b\":1}", 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	sa = util_json_canonical(a, &la);
	sb = util_json_canonical(b, &lb);
	CU_ASSERT_STRING_EQUAL(sa, "{\"a\":{\"c\":\"x\",\"d\":[1,2]},\"b\":1}");
	CU_ASSERT_STRING_EQUAL(sa, sb);
	CU_ASSERT_EQUAL(la, strlen(sa));
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
}

static void
test_doc_rev(void)
{
	const char	*d1 = "{\"created\":\"x\",\"id\":\"a\",\"rev\":12,"
			    "\"updated\":\"y\"}";
	/* A nested "rev" and a string holding "rev": only the top one counts. */
	const char	*d2 = "{\"a\":{\"rev\":99},\"n\":\"\\\"rev\\\":5\","
			    "\"rev\":3}";
	const char	*d3 = "{\"id\":\"a\"}";

	CU_ASSERT_EQUAL(http_doc_rev(d1, strlen(d1)), 12);
	CU_ASSERT_EQUAL(http_doc_rev(d2, strlen(d2)), 3);
	CU_ASSERT_EQUAL(http_doc_rev(d3, strlen(d3)), 0);
}

/*
 * RFC 7396 Appendix A, every row: original, patch, result. Values that are
 * not objects ("null", "\"bar\"") need JSON_DECODE_ANY.
 */
static const struct {
	const char	*target;
	const char	*patch;
	const char	*result;
} merge_rows[] = {
	{ "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
	{ "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}" },
	{ "{\"a\":\"b\"}", "{\"a\":null}", "{}" },
	{ "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}" },
	{ "{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
	{ "{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}" },
	{ "{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}",
	    "{\"a\":{\"b\":\"d\"}}" },
	{ "{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}" },
	{ "[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]" },
	{ "{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]" },
	{ "{\"a\":\"foo\"}", "null", "null" },
	{ "{\"a\":\"foo\"}", "\"bar\"", "\"bar\"" },
	{ "{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}" },
	{ "[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}" },
	{ "{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}" },
	/* RFC 7396 section 3's example. */
	{ "{\"title\":\"Goodbye!\",\"author\":{\"givenName\":\"John\","
	    "\"familyName\":\"Doe\"},\"tags\":[\"example\",\"sample\"],"
	    "\"content\":\"This will be unchanged\"}",
	  "{\"title\":\"Hello!\",\"phoneNumber\":\"+01-123-456-7890\","
	    "\"author\":{\"familyName\":null},\"tags\":[\"example\"]}",
	  "{\"title\":\"Hello!\",\"author\":{\"givenName\":\"John\"},"
	    "\"tags\":[\"example\"],\"content\":\"This will be unchanged\","
	    "\"phoneNumber\":\"+01-123-456-7890\"}" },
	/* Beyond the RFC's table: deeper nesting, and an empty patch. */
	{ "{\"a\":{\"b\":{\"c\":1,\"d\":2}},\"e\":3}",
	  "{\"a\":{\"b\":{\"c\":null,\"x\":[null]}}}",
	  "{\"a\":{\"b\":{\"d\":2,\"x\":[null]}},\"e\":3}" },
	{ "{\"a\":1}", "{}", "{\"a\":1}" },
	{ "{\"keep\":{\"x\":[1]},\"a\":1}", "{\"a\":2}",
	    "{\"keep\":{\"x\":[1]},\"a\":2}" },
	{ "{\"a\":1}", "{\"b\":null}", "{\"a\":1}" },
	{ "\"text\"", "{\"a\":1}", "{\"a\":1}" },
};

static json_t *
load_any(const char *s)
{
	json_error_t	e;
	json_t		*v = json_loads(s, JSON_DECODE_ANY, &e);

	if (v == NULL)
		printf("\n  ** cannot parse '%s': %s\n", s, e.text);
	return v;
}

static void
test_merge_patch(void)
{
	size_t	i;

	for (i = 0; i < sizeof merge_rows / sizeof merge_rows[0]; i++) {
		json_t	*t = load_any(merge_rows[i].target);
		json_t	*p = load_any(merge_rows[i].patch);
		json_t	*want = load_any(merge_rows[i].result);
		json_t	*t0, *p0, *got;
		char	*s;

		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_PTR_NOT_NULL_FATAL(want);
		t0 = json_deep_copy(t);
		p0 = json_deep_copy(p);
		got = util_json_merge_patch(t, p);
		CU_ASSERT_PTR_NOT_NULL(got);
		if (got == NULL || !json_equal(got, want)) {
			s = got != NULL ? json_dumps(got, JSON_COMPACT |
			    JSON_ENCODE_ANY) : NULL;
			printf("\n  ** merge %s with %s: %s, expected %s\n",
			    merge_rows[i].target, merge_rows[i].patch,
			    s != NULL ? s : "NULL", merge_rows[i].result);
			free(s);
			CU_FAIL("merge patch result");
		}
		/* Neither input is changed. */
		CU_ASSERT(json_equal(t, t0));
		CU_ASSERT(json_equal(p, p0));
		/*
		 * The result shares nothing with the inputs: changing it
		 * (as the writer does, setting rev and dates) leaves them be.
		 */
		if (json_is_object(got)) {
			const char	*k;
			json_t		*v;

			json_object_foreach(got, k, v)
				if (json_is_object(v))
					json_object_set_new(v, "zz", json_true());
			json_object_set_new(got, "zz", json_true());
		} else if (json_is_array(got))
			json_array_append_new(got, json_true());
		CU_ASSERT(json_equal(t, t0));
		CU_ASSERT(json_equal(p, p0));
		json_decref(got);
		json_decref(t);
		json_decref(p);
		json_decref(t0);
		json_decref(p0);
		json_decref(want);
	}
	/* A NULL target is an empty one (a create through PATCH's path). */
	{
		json_t	*p = load_any("{\"a\":{\"b\":null,\"c\":1}}");
		json_t	*want = load_any("{\"a\":{\"c\":1}}");
		json_t	*got = util_json_merge_patch(NULL, p);

		CU_ASSERT(got != NULL && json_equal(got, want));
		json_decref(got);
		json_decref(p);
		json_decref(want);
	}
}

/* The one formatter for the logs, STATUS= and the access log. */
static void
test_sockaddr(void)
{
	struct sockaddr_in	in;
	struct sockaddr_in6	in6;
	struct sockaddr		other;
	char			host[UTIL_HOST_MAX], out[64];
	unsigned		port;

	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	in.sin_port = htons(8443);
	inet_pton(AF_INET, "127.0.0.2", &in.sin_addr);
	util_sockaddr_host((struct sockaddr *)&in, host, &port);
	CU_ASSERT_STRING_EQUAL(host, "127.0.0.2");
	CU_ASSERT_EQUAL(port, 8443);
	util_sockaddr_str((struct sockaddr *)&in, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "127.0.0.2:8443");

	memset(&in6, 0, sizeof in6);
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(53422);
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	util_sockaddr_str((struct sockaddr *)&in6, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "[::1]:53422");

	memset(&other, 0, sizeof other);
	other.sa_family = AF_UNIX;
	util_sockaddr_str(&other, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "?:0");
	util_sockaddr_str(NULL, out, sizeof out);
	CU_ASSERT_STRING_EQUAL(out, "?:0");
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "record ids", test_ids },
		{ "dates and date-times", test_dates },
		{ "SHA-256 hex", test_hash },
		{ "canonical JSON", test_canonical },
		{ "rev of stored bytes", test_doc_rev },
		{ "RFC 7396 merge patch", test_merge_patch },
		{ "socket addresses as text", test_sockaddr },
		{ NULL, NULL }
	};

	return cu_run("util", tests);
}
