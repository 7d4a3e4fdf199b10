/*
 * cases_metrics.c: GET /metrics: who may read it, that it counts what the
 * cases just did, and that Prometheus' own promtool accepts the text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"

/* The value of the series named exactly series (labels included), or -1. */
static double
series(const char *text, const char *name)
{
	const char	*p = text;
	size_t		 n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p += n;
	}
	return -1;
}

/* promtool check metrics on text: its exit status, output into why. */
static int
promtool(const char *text, char *why, size_t len)
{
	const char	*tool = getenv("PROMTOOL");
	char		 file[] = "/tmp/metrics-XXXXXX", cmd[512];
	FILE		*p;
	size_t		 got;
	int		 fd, st;

	if (tool == NULL)
		tool = "build/tools/promtool";
	if (access(tool, X_OK) != 0) {
		snprintf(why, len, "%s is missing: run make promtool", tool);
		return -1;
	}
	if ((fd = mkstemp(file)) < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		unlink(file);
		return -1;
	}
	close(fd);
	snprintf(cmd, sizeof cmd, "%s check metrics < %s 2>&1", tool, file);
	if ((p = popen(cmd, "r")) == NULL) {
		unlink(file);
		return -1;
	}
	got = fread(why, 1, len - 1, p);
	why[got] = '\0';
	st = pclose(p);
	unlink(file);
	return st;
}

void
metrics_scrape(void)
{
	struct resp	r;
	char		 why[4096], ctype[128];
	double		 before, after, bad0, none0;

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_make_auditor("metrics-a1", "Ops"));

	client_http(&r, "admin", "GET", "/metrics", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_header(&r, "Content-Type", ctype, sizeof ctype) &&
	    strcmp(ctype, "text/plain; version=0.0.4; charset=utf-8") == 0);
	before = series(r.body, "auditord_http_requests_total{route=\""
	    "/v1/auditors/{id}\",method=\"GET\",code=\"200\"}");
	bad0 = series(r.body, "auditord_tls_handshakes_total{result=\""
	    "bad_certificate\"}");
	none0 = series(r.body, "auditord_tls_handshakes_total{result=\""
	    "no_certificate\"}");
	client_resp_free(&r);

	/* A certificate of another CA, then none: two refused handshakes. */
	client_http(&r, "rogue", "GET", "/livez", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 0);
	client_resp_free(&r);
	client_http(&r, NULL, "GET", "/livez", NULL, NULL);
	CU_ASSERT_EQUAL(r.status, 0);
	client_resp_free(&r);

	/* Two reads of a record: its route's 200s grow by two. */
	client_http(&r, "admin", "GET", "/v1/auditors/metrics-a1", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	client_http(&r, "hr", "GET", "/v1/auditors/metrics-a1", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/no-such-thing", NULL, NULL);
	EXPECT_STATUS(&r, 404);
	client_resp_free(&r);

	/* Any principal from loopback reads it; the test runs on loopback. */
	client_http(&r, "hr", "GET", "/metrics", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	after = series(r.body, "auditord_http_requests_total{route=\""
	    "/v1/auditors/{id}\",method=\"GET\",code=\"200\"}");
	CU_ASSERT(after - (before < 0 ? 0 : before) == 2);
	CU_ASSERT(series(r.body, "auditord_http_requests_total{route=\"none\","
	    "method=\"\",code=\"404\"}") >= 1);
	CU_ASSERT(series(r.body, "auditord_connections_open") >= 1);
	CU_ASSERT(series(r.body, "auditord_tls_handshakes_total{result=\""
	    "full\"}") >= 1);
	CU_ASSERT(series(r.body, "auditord_tls_handshakes_total{result=\""
	    "bad_certificate\"}") == bad0 + 1);
	CU_ASSERT(series(r.body, "auditord_tls_handshakes_total{result=\""
	    "no_certificate\"}") == none0 + 1);
	CU_ASSERT(series(r.body, "auditord_store_changes_total") >= 1);
	CU_ASSERT(series(r.body, "auditord_events_head_sequence") >= 1);
	CU_ASSERT(series(r.body, "auditord_store_map_used_bytes") > 0);
	/* The suite's 64M map may grow sixteenfold (map_max's default). */
	CU_ASSERT(series(r.body, "auditord_store_map_max_bytes") ==
	    16.0 * 64 * 1024 * 1024);
	CU_ASSERT(series(r.body, "auditord_store_file_size_bytes") > 0);
	/* The suite's certificates are made for 825 days. */
	CU_ASSERT(series(r.body, "auditord_tls_certificate_expiry_seconds") >
	    86400.0 * 30);
	CU_ASSERT(series(r.body, "auditord_http_request_duration_seconds_count")
	    >= 3);
	if (promtool(r.body, why, sizeof why) != 0) {
		fprintf(stderr, "\npromtool check metrics: %s\n", why);
		CU_FAIL("promtool check metrics refused the text");
	}
	client_resp_free(&r);

	/* Both refusals were logged at warning, with the rogue's subject. */
	if (!harness_log_has("tls: refused 127.0.0.1:") ||
	    !harness_log_has("certificate subject \"O=auditord development, "
	    "CN=admin\" sha256 ")) {
		harness_print_log();
		CU_FAIL("a refused handshake was not logged with its certificate");
	}

	/* No principal, no metrics. */
	client_http(&r, "bob", "GET", "/metrics", NULL, NULL);
	EXPECT_PROBLEM(&r, 401, "unauthorized");
	client_resp_free(&r);
}

/*
 * The access log's line for each request, with the query's keys and never
 * its values, and a warning for each 401 and 403 naming the certificate.
 */
void
logs_access(void)
{
	struct resp	r;
	int		ok;

	CU_ASSERT_FATAL(cases_principal("manager"));
	client_http(&r, "admin", "GET", "/v1/auditors?unit=Secret-Unit-77&"
	    "limit=5", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	client_http(&r, "manager", "POST", "/v1/areas",
	    "{\"id\":\"log-a\",\"title\":\"t\",\"kind\":\"sector\"}", NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	client_http(&r, "bob", "GET", "/v1/me", NULL, NULL);
	EXPECT_PROBLEM(&r, 401, "unauthorized");
	client_resp_free(&r);

	ok = harness_log_has(" admin GET /v1/auditors?unit&limit 200 ") &&
	    !harness_log_has("Secret-Unit-77") &&
	    harness_log_has("403 for POST /v1/areas from 127.0.0.1:") &&
	    harness_log_has(" as p-manager; certificate subject \"O=auditord "
	    "development, CN=manager\" sha256 ") &&
	    harness_log_has("401 for GET /v1/me from 127.0.0.1:") &&
	    harness_log_has("CN=bob\" sha256 ");
	if (!ok) {
		harness_print_log();
		CU_FAIL("the access log or a refusal's warning is not as it "
		    "should be");
	}
}
