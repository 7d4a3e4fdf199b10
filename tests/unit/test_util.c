/*
 * test_util.c: ids, dates, hashes, canonical JSON (common/util.c) and the
 * rev scanner the daemon uses for ETags (http_doc_rev).
 */
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

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "record ids", test_ids },
		{ "dates and date-times", test_dates },
		{ "SHA-256 hex", test_hash },
		{ "canonical JSON", test_canonical },
		{ "rev of stored bytes", test_doc_rev },
		{ NULL, NULL }
	};

	return cu_run("util", tests);
}
