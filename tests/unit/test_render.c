/*
 * test_render.c: the documents of cli/render/ drawn from fixture JSON of
 * the shapes the daemon promises (tests/fixtures/render/, each checked
 * against its schema first): the audit report's findings table in
 * Markdown, HTML that parses (xmllint, as XML and as HTML), the SVG
 * elements in the right counts (a bar per audit, a cell per auditor and
 * area), a statement with a script tag escaped in HTML, SVG and Markdown,
 * the banner of missing items, the systemic flag, and the terminal
 * calendar of a known programme.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"
#include "cu-io.h"

#include "render/docs.h"
#include "render/render.h"
#include "schema/schema.h"

#define FX	"tests/fixtures/render/"

static json_t *
fixture(const char *name, const char *schema)
{
	json_error_t		 e;
	json_t			*d, *errs = json_array();
	char			 path[256], err[256];
	const struct schema	*s;

	snprintf(path, sizeof path, FX "%s", name);
	if ((d = json_load_file(path, 0, &e)) == NULL)
		printf("\n  ** %s: %s\n", path, e.text);
	if (d != NULL && schema != NULL) {
		schema_builtin_init(err, sizeof err);
		s = schema_builtin(schema);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		if (schema_validate(s, d, errs, 5) != 0) {
			char *t = json_dumps(errs, 0);
			printf("\n  ** %s does not match %s: %s\n", name, schema,
			    t);
			free(t);
			CU_FAIL("fixture off its schema");
		}
	}
	json_decref(errs);
	return d;
}

typedef int (*doc_fn)(FILE *, enum render_format, const json_t *, int);

/* fn's document of fixture name as format f; *rc its result. */
static char *
drawn(doc_fn fn, const char *name, const char *schema, enum render_format f,
    int *rc)
{
	json_t	*d = fixture(name, schema);
	FILE	*fp = tmpfile();

	*rc = fn(fp, f, d, 0);
	json_decref(d);
	return cu_written(fp);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay += strlen(needle))
		n++;
	return n;
}

/* The lines of what cmd wrote on stdout and stderr. Malloc'd. */
static char *
run(const char *cmd)
{
	FILE	*p = popen(cmd, "r");
	char	*s = calloc(1, 65536);
	size_t	 n = 0;

	if (p == NULL || s == NULL)
		return s;
	n = fread(s, 1, 65535, p);
	s[n] = '\0';
	pclose(p);
	return s;
}

/*
 * html parses as XML (it is written well-formed) and as HTML, where
 * libxml2's HTML 4 parser knows neither HTML5's sectioning nor SVG's
 * elements: those are the only complaints allowed.
 */
static void
assert_html_valid(const char *html)
{
	static const char *const known[] = { "main", "figure", "figcaption",
	    "svg", "g", "rect", "text", "line", "title" };
	char	 path[] = "/tmp/test_render.XXXXXX", cmd[512], *out, *l, *save;
	char	 tag[64];
	FILE	*fp;
	size_t	 i;
	int	 fd, ok;

	CU_ASSERT_FATAL((fd = mkstemp(path)) != -1);
	fp = fdopen(fd, "w");
	fputs(html, fp);
	fclose(fp);
	snprintf(cmd, sizeof cmd, "xmllint --noout %s 2>&1", path);
	out = run(cmd);
	if (out[0] != '\0')
		printf("\n  ** not well-formed:\n%s\n", out);
	CU_ASSERT_STRING_EQUAL(out, "");
	free(out);
	snprintf(cmd, sizeof cmd, "xmllint --html --noout %s 2>&1 | grep "
	    "'error'", path);
	out = run(cmd);
	for (l = strtok_r(out, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save)) {
		ok = 0;
		for (i = 0; i < sizeof known / sizeof *known; i++) {
			snprintf(tag, sizeof tag, "Tag %s invalid", known[i]);
			if (strstr(l, tag) != NULL)
				ok = 1;
		}
		if (!ok)
			printf("\n  ** HTML: %s\n", l);
		CU_ASSERT(ok);
	}
	free(out);
	unlink(path);
}

static void
test_xmllint_present(void)
{
	char	*out = run("command -v xmllint");

	/* make deps installs libxml2-utils. */
	CU_ASSERT(strstr(out, "xmllint") != NULL);
	free(out);
}

static void
test_report_md(void)
{
	int	 rc;
	char	*md = drawn(render_audit_report, "audit-report.json",
		    "audit-report", RENDER_MD, &rc);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "# Audit report: a1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## g) Findings and evidence\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| ID | TYPE | CRITERION | "
	    "STATEMENT | EVIDENCE | STATUS | ACTIONS |\n| --- | --- |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| f2 | minor nonconformity | "
	    "A.5.15 | Access reviews not signed off | interview: IAM lead | "
	    "open |  |\n"));
	/* A pipe in a cell does not split it; a tag stays text. */
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Shared admin \\| account"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
	    "\\<script\\>alert(1)\\</script\\>"));
	CU_ASSERT_PTR_NULL(strstr(md, "<script>"));
	CU_ASSERT_PTR_NULL(strstr(md, "</script>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "c1 open, due 2027-04-01, IAM lead, "
	    "OVERDUE"));
	/* Every item of 6.5.1 in order. */
	CU_ASSERT(strstr(md, "## a) ") < strstr(md, "## b) "));
	CU_ASSERT(strstr(md, "## j) ") < strstr(md, "## k) Sampling"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "> - h) Conclusions\n> - k) "
	    "Sampling\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "possible major nonconformity: 3 "
	    "minor nonconformities against A.5.15 (findings f1, f2, f3)"));
	free(md);
}

static void
test_report_html(void)
{
	int	 rc;
	char	*html = drawn(render_audit_report, "audit-report.json",
		    "audit-report", RENDER_HTML, &rc);

	CU_ASSERT_EQUAL(rc, 0);
	assert_html_valid(html);
	CU_ASSERT_PTR_NULL(strstr(html, "<script"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html,
	    "<td>&lt;script&gt;alert(1)&lt;/script&gt; leavers keep access"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<div class=\"banner bad\" "
	    "role=\"alert\">\n<strong>Incomplete"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<li>h) Conclusions</li>\n<li>k) "
	    "Sampling</li>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "possible major nonconformity: 3 "
	    "minor nonconformities against A.5.15"));
	CU_ASSERT_EQUAL(count(html, "<tr class=\"warn\">"), 3);
	/* Self-contained: nothing fetched, no script. */
	CU_ASSERT_PTR_NULL(strstr(html, "src="));
	CU_ASSERT_PTR_NULL(strstr(html, "href="));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "@page{size:A4"));
	free(html);
}

/* A complete report has no banner. */
static void
test_report_complete(void)
{
	json_t	*d = fixture("audit-report.json", NULL);
	FILE	*fp = tmpfile();
	char	*t;

	json_object_set_new(d, "complete", json_true());
	json_object_set_new(d, "missing", json_array());
	CU_ASSERT_EQUAL(render_audit_report(fp, RENDER_TEXT, d, 0), 0);
	t = cu_written(fp);
	CU_ASSERT_PTR_NULL(strstr(t, "Incomplete"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "h) Conclusions\n---"));
	free(t);
	json_decref(d);
}

static void
test_report_text(void)
{
	int	 rc;
	char	*t = drawn(render_audit_report, "audit-report.json",
		    "audit-report", RENDER_TEXT, &rc);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "!! Incomplete: the report cannot "
	    "be issued until these items are filled in\n!!   h) Conclusions\n"
	    "!!   k) Sampling\n"));
	/* Off a terminal, a table is tab-separated lines. */
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "f3\tminor nonconformity\tA.5.15\t"
	    "Shared admin | account\tobservation: console login\topen\t\n"));
	free(t);
}

static void
test_malformed(void)
{
	json_t	*d = json_pack("{s:s}", "audit", "a1");
	FILE	*fp = tmpfile();
	char	*t;

	CU_ASSERT_EQUAL(render_audit_report(fp, RENDER_HTML, d, 0),
	    RENDER_MALFORMED);
	CU_ASSERT_EQUAL(render_programme(fp, RENDER_HTML, d, 0),
	    RENDER_MALFORMED);
	CU_ASSERT_EQUAL(render_matrix(fp, RENDER_HTML, d, 0),
	    RENDER_MALFORMED);
	CU_ASSERT_EQUAL(render_audit_plan(fp, RENDER_HTML, d, NULL, 0),
	    RENDER_MALFORMED);
	t = cu_written(fp);
	CU_ASSERT_STRING_EQUAL(t, "");
	free(t);
	json_decref(d);
}

static void
test_programme_html(void)
{
	int	 rc;
	char	*html = drawn(render_programme, "programme.json",
		    "programme-report", RENDER_HTML, &rc);

	CU_ASSERT_EQUAL(rc, 0);
	assert_html_valid(html);
	/* One bar per audit, five statuses in the legend, three months. */
	CU_ASSERT_EQUAL(count(html, "<rect class=\"bar\""), 3);
	CU_ASSERT_EQUAL(count(html, "<rect class=\"swatch\""), 5);
	CU_ASSERT_EQUAL(count(html, "<text class=\"month\""), 3);
	CU_ASSERT_EQUAL(count(html, "<rect class=\"count\""), 4);
	/* The auditee reaches the SVG tooltip escaped. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<title>a1: &lt;script&gt;"
	    "alert(1)&lt;/script&gt;, 2027-01-04 to 2027-01-06, closed"
	    "</title>"));
	CU_ASSERT_PTR_NULL(strstr(html, "<script"));
	/* a1 runs Jan 4-6 of a 90-day period on a 590-unit axis. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<rect class=\"bar\" x=\"139.67\" "
	    "y=\"30\" width=\"19.67\" height=\"14\" fill=\"#43a047\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<li>a2: team.lead, team.size"
	    "</li>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<tr class=\"bad\"><td>c1</td>"
	    "<td>a1</td><td>f1</td><td>IAM lead</td><td>2027-02-01</td>"
	    "<td class=\"num\">37</td></tr>"));
	free(html);
}

static const char calendar[] =
    "Jan 2027    1   5    10   15   20   25   30\n"
    "a1          ...###.........................\n"
    "a2          .............................##\n"
    "Feb 2027    1   5    10   15   20   25\n"
    "a2          ##..........................\n"
    "Mar 2027    1   5    10   15   20   25   30\n"
    "supplier-x  ..............#................\n";

static void
test_calendar(void)
{
	json_t	*d = fixture("programme.json", NULL);
	char	*cal = render_calendar(json_object_get(d, "audits"),
		    "2027-01-01", "2027-03-31", 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cal);
	if (strcmp(cal, calendar) != 0)
		printf("\n  ** got:\n%s\n  ** want:\n%s\n", cal, calendar);
	CU_ASSERT_STRING_EQUAL(cal, calendar);
	free(cal);
	/* A month with none says so; dates that are none give nothing. */
	cal = render_calendar(json_object_get(d, "audits"), "2027-04-01",
	    "2027-04-30", 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(cal, "Apr 2027"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cal, "  (no audits)\n"));
	free(cal);
	CU_ASSERT_PTR_NULL(render_calendar(json_object_get(d, "audits"),
	    "2027-13-01", "2027-04-30", 0));
	json_decref(d);
}

static void
test_programme_text(void)
{
	int	 rc;
	char	*t = drawn(render_programme, "programme.json",
		    "programme-report", RENDER_TEXT, &rc);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, calendar));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "a2\tFinance\tinternal\t2027-01-30\t"
	    "2027-02-02\treported\t1\tfails: team.lead, team.size\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "!!   1 action is overdue\n"));
	free(t);
}

static void
test_matrix_html(void)
{
	int	 rc;
	char	*html = drawn(render_matrix, "matrix.json", NULL, RENDER_HTML,
		    &rc);

	CU_ASSERT_EQUAL(rc, 0);
	assert_html_valid(html);
	/* 3 auditors x 3 areas; one from a qualification, expiring. */
	CU_ASSERT_EQUAL(count(html, "<rect class=\"cell"), 9);
	CU_ASSERT_EQUAL(count(html, "<rect class=\"cell derived\""), 1);
	CU_ASSERT_EQUAL(count(html, "<rect class=\"marked\""), 1);
	CU_ASSERT_EQUAL(count(html, "<rect class=\"swatch"), 6);
	CU_ASSERT_EQUAL(count(html, "fill=\"#08519c\""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "Alice &lt;b&gt;Example&lt;/b&gt;</text>"));
	CU_ASSERT_PTR_NULL(strstr(html, "<b>"));
	free(html);
}

static void
test_matrix_md(void)
{
	int	 rc;
	char	*md = drawn(render_matrix, "matrix.json", NULL, RENDER_MD, &rc);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| AUDITOR | isms-standards | "
	    "legislation | risk |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| alice | expert | competent "
	    "(qualification) (expiring) | \\- |\n"));
	free(md);
}

static void
test_plan(void)
{
	json_t	*audit = fixture("audit.json", "audit");
	json_t	*team = json_pack("[{s:s, s:s, s:s, s:s}, {s:s, s:n, s:s, "
		    "s:s}]", "auditor", "alice", "name", "Alice Example", "role",
		    "lead", "status", "confirmed", "auditor", "bob", "name",
		    "role", "auditor", "status", "proposed");
	FILE	*fp = tmpfile();
	char	*s;

	CU_ASSERT_EQUAL(render_audit_plan(fp, RENDER_HTML, audit, team, 0), 0);
	s = cu_written(fp);
	assert_html_valid(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<title>Audit plan: a1, IT "
	    "Operations</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<tr><td>2027-03-01</td><td>10:00"
	    "</td><td>Access control &lt;review&gt;</td><td>IAM lead</td>"
	    "<td>alice</td><td>A.5.15, A.5.18</td></tr>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "<tr class=\"warn\"><td>bob</td>"
	    "<td></td><td>auditor</td><td>proposed</td></tr>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "on site"));
	free(s);

	fp = tmpfile();
	CU_ASSERT_EQUAL(render_audit_plan(fp, RENDER_MD, audit, team, 0), 0);
	s = cu_written(fp);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "| DATE | TIME | ACTIVITY | AUDITEES "
	    "| AUDITORS | CRITERIA |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "**Locations:** Berlin\n"));
	free(s);
	json_decref(team);
	json_decref(audit);
}

/* Every string of HTML and SVG goes through render_html_text. */
static void
test_escape(void)
{
	FILE	*fp = tmpfile();
	char	*s;

	CU_ASSERT_EQUAL(render_html_text(fp, "<a href=\"x\">'&'</a>\x01\x7f"
	    "\tok\n"), 0);
	s = cu_written(fp);
	CU_ASSERT_STRING_EQUAL(s, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"
	    "&lt;/a&gt;\tok\n");
	free(s);
}

static const struct cu_test tests[] = {
	{ "xmllint is installed", test_xmllint_present },
	{ "html escaping", test_escape },
	{ "audit report as Markdown", test_report_md },
	{ "audit report as HTML", test_report_html },
	{ "audit report on a terminal", test_report_text },
	{ "complete report: no banner", test_report_complete },
	{ "malformed answers", test_malformed },
	{ "programme dashboard as HTML", test_programme_html },
	{ "programme calendar", test_calendar },
	{ "programme on a terminal", test_programme_text },
	{ "matrix heatmap", test_matrix_html },
	{ "matrix as Markdown", test_matrix_md },
	{ "audit plan", test_plan },
	{ NULL, NULL }
};

int
main(void)
{
	return cu_run("render", tests);
}
