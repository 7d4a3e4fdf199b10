/*
 * test_cli_check.c: what auditorctl draws of an audit's team (cli/team.c),
 * fed as JSON documents of the shapes the daemon answers: a compliant and
 * a failing verdict in ASCII and UTF-8 marks, the candidates table (plain
 * lines off a terminal, CSV, JSON), a proposal found and not found,
 * answers that are none of these, unsafe text; the --team list; and the
 * command lines of `assignment` and `audit check`, decided before any
 * request is made.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"
#include "cu-io.h"

#include "cmd.h"
#include "output.h"
#include "team.h"

/* Every member and team rule holds; evidence as collection/id. */
static const char compliant[] =
    "{\"audit\":\"a1\",\"as_of\":\"2026-11-30\",\"compliant\":true,"
    "\"members\":["
    "{\"auditor\":\"alice\",\"role\":\"lead\",\"compliant\":true,\"checks\":["
    "{\"rule\":\"active\",\"ok\":true,\"detail\":\"alice is active\","
    "\"evidence\":[\"auditors/alice\"]},"
    "{\"rule\":\"lead_qualification\",\"ok\":true,\"detail\":\"lead auditor "
    "certificate valid over the audit\",\"evidence\":"
    "[\"qualifications/q2\"]},"
    "{\"rule\":\"cpd\",\"ok\":true,\"detail\":\"25 verified CPD hours; 20 "
    "needed\",\"evidence\":[\"trainings/t17\",\"trainings/t18\"]}]},"
    "{\"auditor\":\"bob\",\"role\":\"auditor\",\"compliant\":true,"
    "\"checks\":[{\"rule\":\"independence\",\"ok\":true,\"detail\":\"no "
    "declared interest in the auditee\",\"evidence\":[]}]}],"
    "\"team\":["
    "{\"rule\":\"lead_count\",\"ok\":true,\"detail\":\"one lead: alice\","
    "\"evidence\":[]},"
    "{\"rule\":\"coverage\",\"ok\":true,\"detail\":\"every required area "
    "covered\",\"missing\":[],\"evidence\":[\"evaluations/e3\"]}],"
    "\"warnings\":[],\"policy\":{}}";

static const char compliant_ascii[] =
    "Team check of audit a1 on 2026-11-30\n"
    "\n"
    "+ alice (lead)\n"
    "  + active              alice is active\n"
    "                        evidence: auditors/alice\n"
    "  + lead_qualification  lead auditor certificate valid over the audit\n"
    "                        evidence: qualifications/q2\n"
    "  + cpd                 25 verified CPD hours; 20 needed\n"
    "                        evidence: trainings/t17, trainings/t18\n"
    "\n"
    "+ bob (auditor)\n"
    "  + independence        no declared interest in the auditee\n"
    "\n"
    "+ Team\n"
    "  + lead_count          one lead: alice\n"
    "  + coverage            every required area covered\n"
    "                        evidence: evaluations/e3\n"
    "\n"
    "compliant\n";

/* Two members and the team fail one rule each; a warning. */
static const char failing[] =
    "{\"audit\":\"a2\",\"as_of\":\"2026-11-30\",\"compliant\":false,"
    "\"members\":["
    "{\"auditor\":\"alice\",\"role\":\"lead\",\"compliant\":false,"
    "\"checks\":["
    "{\"rule\":\"active\",\"ok\":true,\"detail\":\"alice is active\","
    "\"evidence\":[]},"
    "{\"rule\":\"cpd\",\"ok\":false,\"detail\":\"18.5 verified CPD hours "
    "from 2025-12-01 to 2026-11-30; 20 needed\",\"evidence\":"
    "[\"trainings/t1\",\"trainings/t7\"]}]},"
    "{\"auditor\":\"carol\",\"role\":\"trainee\",\"compliant\":false,"
    "\"checks\":[{\"rule\":\"independence\",\"ok\":false,\"detail\":"
    "\"consultancy for the auditee until 2026-06-30\",\"evidence\":"
    "[\"declarations/d2\"]}]}],"
    "\"team\":["
    "{\"rule\":\"lead_count\",\"ok\":true,\"detail\":\"one lead: alice\","
    "\"evidence\":[]},"
    "{\"rule\":\"coverage\",\"ok\":false,\"detail\":\"no member is "
    "evidenced in legislation at competent\",\"missing\":[\"legislation\"],"
    "\"evidence\":[]}],"
    "\"warnings\":[{\"rule\":\"expiry\",\"auditor\":\"alice\",\"detail\":"
    "\"the lead auditor certificate ends 2027-01-10\",\"evidence\":"
    "[\"qualifications/q2\"]},"
    "{\"rule\":\"evaluation\",\"auditor\":\"carol\",\"detail\":"
    "\"partially meets\",\"evidence\":[]}],"
    "\"policy\":{}}";

static const char failing_ascii[] =
    "Team check of audit a2 on 2026-11-30\n"
    "\n"
    "x alice (lead)\n"
    "  + active        alice is active\n"
    "  x cpd           18.5 verified CPD hours from 2025-12-01 to "
    "2026-11-30; 20 needed\n"
    "                  evidence: trainings/t1, trainings/t7\n"
    "\n"
    "x carol (trainee)\n"
    "  x independence  consultancy for the auditee until 2026-06-30\n"
    "                  evidence: declarations/d2\n"
    "\n"
    "x Team\n"
    "  + lead_count    one lead: alice\n"
    "  x coverage      no member is evidenced in legislation at competent\n"
    "                  missing: legislation\n"
    "\n"
    "Warnings\n"
    "  ! alice  expiry      the lead auditor certificate ends 2027-01-10\n"
    "                       evidence: qualifications/q2\n"
    "  ! carol  evaluation  partially meets\n"
    "\n"
    "not compliant: 3 checks fail\n";

static const char candidates[] =
    "{\"audit\":\"a1\",\"as_of\":\"2026-11-30\",\"missing\":[\"legislation\","
    "\"risk\"],\"candidates\":["
    "{\"auditor\":\"carol\",\"name\":\"Carol Example\",\"passes\":true,"
    "\"failed\":[],\"covers\":[\"legislation\",\"risk\"],\"workload\":3,"
    "\"can_lead\":true},"
    "{\"auditor\":\"dave\",\"name\":\"=Dave\",\"passes\":false,"
    "\"failed\":[{\"rule\":\"cpd\",\"detail\":\"2 hours; 20 needed\"},"
    "{\"rule\":\"independence\",\"detail\":\"employed by the auditee\"}],"
    "\"covers\":[],\"workload\":0,\"can_lead\":false}],\"next\":2}";

static const char proposal_found[] =
    "{\"audit\":\"a1\",\"as_of\":\"2026-11-30\",\"found\":true,\"team\":["
    "{\"auditor\":\"bob\",\"role\":\"auditor\",\"assignment\":\"as-2\"},"
    "{\"auditor\":\"alice\",\"role\":\"lead\",\"assignment\":\"as-1\"}],"
    "\"reasons\":[],\"passing\":12,\"verdict\":";

static const char proposal_none[] =
    "{\"audit\":\"a1\",\"as_of\":\"2026-11-30\",\"found\":false,"
    "\"team\":[],\"reasons\":[\"only 1 auditor passes every member rule; "
    "the audit needs 2\",\"nobody who passes speaks de\"],\"passing\":1}";

static json_t *
doc_of(const char *text)
{
	json_error_t	 e;
	json_t		*d = json_loads(text, 0, &e);

	if (d == NULL)
		printf("\n  ** bad test JSON: %s\n", e.text);
	return d;
}

static int
same(const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return 1;
	printf("\n  ** got:\n%s\n  ** want:\n%s\n", got, want);
	return 0;
}

static int
has(const char *got, const char *want)
{
	if (strstr(got, want) != NULL)
		return 1;
	printf("\n  ** want \"%s\" in:\n%s\n", want, got);
	return 0;
}

/* team_verdict_print of text; *rc its result. Malloc'd. */
static char *
verdict_of(const char *text, int utf8, int *rc)
{
	json_t	*d = doc_of(text);
	FILE	*f = tmpfile();

	*rc = team_verdict_print(f, d, utf8);
	json_decref(d);
	return cu_written(f);
}

static char *
candidates_of(const char *text, const struct output *out, long offset,
    int utf8, int decorate, int *rc)
{
	json_t	*d = doc_of(text);
	FILE	*f = tmpfile();

	*rc = team_candidates_print(f, out, d, offset, utf8, decorate);
	json_decref(d);
	return cu_written(f);
}

static char *
proposal_of(const char *text, int utf8, int *rc)
{
	json_t	*d = doc_of(text);
	FILE	*f = tmpfile();

	*rc = team_proposal_print(f, d, utf8);
	json_decref(d);
	return cu_written(f);
}

static void
test_verdict_ascii(void)
{
	char	*s;
	int	 rc;

	setlocale(LC_CTYPE, "C");
	s = verdict_of(compliant, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s, compliant_ascii));
	free(s);

	s = verdict_of(failing, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s, failing_ascii));
	free(s);
}

/* UTF-8 marks, one column each: the columns stay where ASCII has them. */
static void
test_verdict_utf8(void)
{
	char	*s;
	int	 rc;

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		CU_FAIL("no C.UTF-8 locale");
		return;
	}
	s = verdict_of(failing, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(has(s, "\n\xe2\x9c\x97 alice (lead)\n"
	    "  \xe2\x9c\x93 active        alice is active\n"
	    "  \xe2\x9c\x97 cpd           18.5 verified"));
	CU_ASSERT(has(s, "\n                  evidence: trainings/t1, "
	    "trainings/t7\n"));
	CU_ASSERT(has(s, "\n\xe2\x9c\x97 Team\n"));
	CU_ASSERT(has(s, "\n  ! alice  expiry      the lead"));
	CU_ASSERT(has(s, "\nnot compliant: 3 checks fail\n"));
	CU_ASSERT(strstr(s, "\n+ ") == NULL && strstr(s, "\nx ") == NULL);
	free(s);

	s = verdict_of(compliant, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(has(s, "\n\xe2\x9c\x93 bob (auditor)\n"
	    "  \xe2\x9c\x93 independence        no declared"));
	CU_ASSERT(has(s, "\ncompliant\n"));
	free(s);
	setlocale(LC_CTYPE, "C");
}

/*
 * One failure is singular; no member at all; a check the server left
 * without detail or ok; a member without its compliant flag takes it
 * from its checks; a non-compliant verdict whose checks all hold.
 */
static void
test_verdict_edges(void)
{
	char	*s;
	int	 rc;

	setlocale(LC_CTYPE, "C");
	s = verdict_of("{\"audit\":\"a3\",\"compliant\":false,\"members\":[],"
	    "\"team\":[{\"rule\":\"lead_count\",\"ok\":false,\"detail\":"
	    "\"no lead\",\"evidence\":[]},{\"rule\":\"team_size\"}]}", 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s, "Team check of audit a3\n"
	    "\n"
	    "No members.\n"
	    "\n"
	    "x Team\n"
	    "  x lead_count  no lead\n"
	    "  ? team_size\n"
	    "\n"
	    "not compliant: 2 checks fail\n"));
	free(s);

	s = verdict_of("{\"audit\":\"a4\",\"compliant\":false,\"members\":["
	    "{\"auditor\":\"bob\",\"role\":\"observer\",\"checks\":[{\"rule\":"
	    "\"availability\",\"ok\":false,\"detail\":\"on leave\","
	    "\"evidence\":[]}]}],\"team\":[]}", 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(has(s, "\nx bob (observer)\n  x availability  on leave\n"));
	CU_ASSERT(has(s, "\nnot compliant: 1 check fails\n"));
	free(s);

	s = verdict_of("{\"compliant\":false,\"members\":[],\"team\":[]}", 0,
	    &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(has(s, "Team check of audit ?\n"));
	CU_ASSERT(has(s, "\nnot compliant\n"));
	free(s);
}

/* Not a verdict: nothing written; the server's text is made safe. */
static void
test_verdict_bad(void)
{
	static const char *const bad[] = { "[]", "{}",
	    "{\"compliant\":\"no\",\"members\":[],\"team\":[]}",
	    "{\"compliant\":true,\"members\":{},\"team\":[]}",
	    "{\"compliant\":true,\"members\":[]}" };
	char	*s;
	size_t	 i;
	int	 rc;
	FILE	*f;
	json_t	*d;

	setlocale(LC_CTYPE, "C");
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		s = verdict_of(bad[i], 0, &rc);
		CU_ASSERT_EQUAL(rc, TEAM_MALFORMED);
		CU_ASSERT_STRING_EQUAL(s, "");
		free(s);
	}
	s = verdict_of("{\"audit\":\"a\\u001b[2J\",\"compliant\":false,"
	    "\"members\":[{\"auditor\":\"b\\r\",\"role\":\"lead\",\"checks\":"
	    "[{\"rule\":\"cpd\",\"ok\":false,\"detail\":\"x\\ny\",\"evidence\":"
	    "[\"trainings/\\u0007\"]}]}],\"team\":[]}", 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(strchr(s, '\033') == NULL && strchr(s, '\a') == NULL &&
	    strchr(s, '\r') == NULL);
	CU_ASSERT(has(s, "audit a\\x1b[2J\n"));
	CU_ASSERT(has(s, "x b\\x0d (lead)\n  x cpd  x\\x0ay\n"));
	CU_ASSERT(has(s, "evidence: trainings/\\x07\n"));
	free(s);

	/* Output that cannot be written is an error, never success. */
	f = fopen("/dev/null", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	d = doc_of(failing);
	CU_ASSERT_EQUAL(team_verdict_print(f, d, 0), -1);
	json_decref(d);
	fclose(f);
}

/*
 * Off a terminal the table is plain tab-separated lines (ranks from the
 * offset, marks or yes/no, the failed rules' ids); with decorate, the
 * missing areas above and where the next page starts below.
 */
static void
test_candidates_table(void)
{
	char	*s;
	int	 rc;

	setlocale(LC_CTYPE, "C");
	s = candidates_of(candidates, &output_table, 0, 0, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s, "missing areas: legislation, risk\n"
	    "1\tcarol\tCarol Example\tyes\tyes\tlegislation,risk\t3\t\n"
	    "2\tdave\t=Dave\tno\tno\t\t0\tcpd,independence\n"
	    "More from --offset 2.\n"));
	free(s);

	s = candidates_of(candidates, &output_table, 20, 0, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s,
	    "21\tcarol\tCarol Example\tyes\tyes\tlegislation,risk\t3\t\n"
	    "22\tdave\t=Dave\tno\tno\t\t0\tcpd,independence\n"));
	free(s);

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		CU_FAIL("no C.UTF-8 locale");
		return;
	}
	s = candidates_of(candidates, &output_table, 0, 1, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(has(s, "1\tcarol\tCarol Example\t\xe2\x9c\x93\t"
	    "\xe2\x9c\x93\t"));
	CU_ASSERT(has(s, "2\tdave\t=Dave\t\xe2\x9c\x97\t\xe2\x9c\x97\t\t0\t"));
	free(s);
	setlocale(LC_CTYPE, "C");

	/* Nobody: said so on a terminal, no line at all off one. */
	s = candidates_of("{\"audit\":\"a1\",\"missing\":[],\"candidates\":[],"
	    "\"next\":null}", &output_table, 0, 0, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s, "No candidates.\n"));
	free(s);
	s = candidates_of("{\"candidates\":[]}", &output_table, 0, 0, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s, ""));
	free(s);
}

/* CSV: the values as they are, formulas neutralised; JSON as it came. */
static void
test_candidates_csv_json(void)
{
	json_t	*d, *back;
	char	*s;
	int	 rc;

	setlocale(LC_CTYPE, "C");
	s = candidates_of(candidates, &output_csv, 0, 1, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s,
	    "rank,auditor,name,passes,can_lead,covers,workload,failed\r\n"
	    "1,carol,Carol Example,true,true,\"legislation,risk\",3,\r\n"
	    "2,dave,'=Dave,false,false,,0,\"cpd,independence\"\r\n"));
	free(s);

	s = candidates_of(candidates, &output_json, 0, 0, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	d = doc_of(candidates);
	back = json_loads(s, 0, NULL);
	CU_ASSERT(back != NULL && json_equal(d, back));
	json_decref(back);
	json_decref(d);
	free(s);

	s = candidates_of("{\"missing\":[]}", &output_table, 0, 0, 1, &rc);
	CU_ASSERT_EQUAL(rc, TEAM_MALFORMED);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
}

static void
test_proposal(void)
{
	char	 text[4096], *s;
	int	 rc;

	setlocale(LC_CTYPE, "C");
	/* The server's order is bob, alice: the lead comes first. */
	snprintf(text, sizeof text, "%s%s}", proposal_found, compliant);
	s = proposal_of(text, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(has(s, "Proposed team for audit a1 on 2026-11-30 (12 "
	    "auditors pass every member rule):\n"
	    "  lead     alice  assignment as-1\n"
	    "  auditor  bob    assignment as-2\n"
	    "Recorded as proposed assignments: as-1, as-2.\n"
	    "\n"));
	CU_ASSERT(has(s, "\n\n" "Team check of audit a1 on 2026-11-30\n"));
	CU_ASSERT(has(s, compliant_ascii));
	free(s);

	/* Not recorded (no --assign): no assignment ids. */
	s = proposal_of("{\"audit\":\"a1\",\"found\":true,\"team\":["
	    "{\"auditor\":\"alice\",\"role\":\"lead\"}],\"reasons\":[],"
	    "\"passing\":1}", 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s, "Proposed team for audit a1 (1 auditor passes "
	    "every member rule):\n  lead  alice\n"));
	free(s);

	s = proposal_of(proposal_none, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s, "no team passes every rule:\n"
	    "  - only 1 auditor passes every member rule; the audit needs 2\n"
	    "  - nobody who passes speaks de\n"
	    "(1 auditor passes every member rule.)\n"));
	free(s);

	s = proposal_of("{\"found\":\"no\",\"team\":[]}", 0, &rc);
	CU_ASSERT_EQUAL(rc, TEAM_MALFORMED);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	s = proposal_of("{\"found\":true}", 0, &rc);
	CU_ASSERT_EQUAL(rc, TEAM_MALFORMED);
	free(s);
}

/* 1 if team_parse of values makes want (a JSON text). */
static int
parses(const char *const *values, size_t n, const char *want)
{
	json_t	*team, *w = json_loads(want, 0, NULL);
	char	 err[512], *got;
	int	 ok;

	if (team_parse(values, n, &team, err, sizeof err) != 0) {
		printf("\n  ** refused: %s\n", err);
		json_decref(w);
		return 0;
	}
	ok = w != NULL && json_equal(team, w);
	if (!ok) {
		got = json_dumps(team, JSON_COMPACT);
		printf("\n  ** made %s, want %s\n", got, want);
		free(got);
	}
	json_decref(team);
	json_decref(w);
	return ok;
}

/* 1 if team_parse of the one value v is refused with text in its message. */
static int
refused(const char *v, const char *text)
{
	json_t	*team = NULL;
	char	 err[512];

	err[0] = '\0';
	if (team_parse(&v, 1, &team, err, sizeof err) == 0) {
		json_decref(team);
		printf("\n  ** '%s' was taken\n", v);
		return 0;
	}
	if (team != NULL || strstr(err, text) == NULL) {
		printf("\n  ** '%s': want \"%s\" in: %s\n", v, text, err);
		return 0;
	}
	return 1;
}

static void
test_team_parse(void)
{
	const char *const	 one[] = { "alice:lead,bob:auditor" };
	const char *const	 two[] = { "alice:lead",
				    "bob:technical_expert,carol:trainee" };
	const char *const	 across[] = { "alice:lead", "bob:auditor",
				    "alice:observer" };
	const char *const	*roles = team_roles();
	char			 big[64 * 52], *p;
	json_t			*team;
	char			 err[512];
	int			 i;

	/* The roles are the assignment schema's, in its order. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(roles);
	CU_ASSERT_STRING_EQUAL(roles[0], "lead");
	CU_ASSERT_STRING_EQUAL(roles[4], "trainee");
	CU_ASSERT_PTR_NULL(roles[5]);

	CU_ASSERT(parses(one, 1, "[{\"auditor\":\"alice\",\"role\":\"lead\"},"
	    "{\"auditor\":\"bob\",\"role\":\"auditor\"}]"));
	CU_ASSERT(parses(two, 2, "[{\"auditor\":\"alice\",\"role\":\"lead\"},"
	    "{\"auditor\":\"bob\",\"role\":\"technical_expert\"},"
	    "{\"auditor\":\"carol\",\"role\":\"trainee\"}]"));

	CU_ASSERT(refused("alice:leed", "--team: role 'leed' of alice is not "
	    "one of: lead, auditor, technical_expert, observer, trainee; did "
	    "you mean 'lead'?"));
	CU_ASSERT(refused("alice:tech", "did you mean 'technical_expert'?"));
	CU_ASSERT(refused("alice:boss", "role 'boss' of alice is not one of: "
	    "lead, auditor, technical_expert, observer, trainee"));
	CU_ASSERT(refused("alice:LEAD", "role 'LEAD' of alice"));
	CU_ASSERT(refused("alice", "--team: 'alice' is not AUDITOR:ROLE"));
	CU_ASSERT(refused("alice:lead,bob", "'bob' is not AUDITOR:ROLE"));
	CU_ASSERT(refused("alice:", "'alice:' is not AUDITOR:ROLE"));
	CU_ASSERT(refused(":lead", "':lead' is not AUDITOR:ROLE"));
	CU_ASSERT(refused("alice:lead,,bob:auditor", "--team: an empty item "
	    "in 'alice:lead,,bob:auditor'"));
	CU_ASSERT(refused("alice:lead,", "an empty item"));
	CU_ASSERT(refused(",alice:lead", "an empty item"));
	CU_ASSERT(refused("", "an empty item in ''"));
	CU_ASSERT(refused("al/ice:lead", "--team: 'al/ice' is not an auditor "
	    "id"));
	CU_ASSERT(refused("alice:lead,alice:auditor", "--team: auditor "
	    "'alice' is given twice"));
	CU_ASSERT(refused("a:b:c", "role 'b:c' of a"));

	/* A duplicate across two --team options too. */
	team = NULL;
	CU_ASSERT_EQUAL(team_parse(across, 3, &team, err, sizeof err), -1);
	CU_ASSERT_PTR_NULL(team);
	CU_ASSERT(strstr(err, "auditor 'alice' is given twice") != NULL);

	/* TEAM_MAX members, and one more. */
	for (p = big, i = 0; i < TEAM_MAX; i++)
		p += sprintf(p, "%sa%d:auditor", i ? "," : "", i);
	CU_ASSERT_EQUAL(team_parse((const char *const *)&(const char *){ big },
	    1, &team, err, sizeof err), 0);
	CU_ASSERT_EQUAL(json_array_size(team), TEAM_MAX);
	json_decref(team);
	sprintf(p, ",z:observer");
	CU_ASSERT(refused(big, "--team: more than 50 members"));
}

/* The verdict a 409 carries, only when the problem says check-failed. */
static void
test_check_failed(void)
{
	json_t	*p;

	p = doc_of("{\"type\":\"urn:auditord:problem:check-failed\",\"title\":"
	    "\"Team check failed\",\"status\":409,\"verdict\":{\"compliant\":"
	    "false}}");
	CU_ASSERT_PTR_EQUAL(team_check_failed(p), json_object_get(p,
	    "verdict"));
	json_decref(p);
	p = doc_of("{\"type\":\"urn:auditord:problem:conflict\",\"status\":409,"
	    "\"verdict\":{}}");
	CU_ASSERT_PTR_NULL(team_check_failed(p));
	json_decref(p);
	p = doc_of("{\"type\":\"urn:auditord:problem:check-failed\","
	    "\"status\":409,\"verdict\":[]}");
	CU_ASSERT_PTR_NULL(team_check_failed(p));
	json_decref(p);
	CU_ASSERT_PTR_NULL(team_check_failed(NULL));
}

static int
argc_of(char **argv)
{
	int	n = 0;

	while (argv[n] != NULL)
		n++;
	return n;
}

/*
 * Parse argv (argv[0] the verb) for noun e and, when that succeeds and run
 * is set, run the verb with a context that has no server: only what is
 * decided before a request may happen. The exit code; stderr into *err.
 */
static int
run_cmd(const struct cmd_entry *e, char **argv, int run, json_t **doc,
    char **err)
{
	struct cmd_args	a;
	struct cmd_ctx	ctx;
	enum cmd_format	fmt = CMD_FORMAT_TABLE;
	int		help, rc;

	memset(&ctx, 0, sizeof ctx);
	cu_capture();
	rc = cmd_args_parse(e, cmd_find_verb(e, argv[0]), argc_of(argv), argv,
	    0, &a, &help, &fmt);
	if (rc == 0) {
		if (doc != NULL)
			*doc = json_incref(a.doc);
		ctx.server = "https://127.0.0.1:1";
		ctx.out = fmt == CMD_FORMAT_CSV ? &output_csv : &output_table;
		ctx.fp = stdout;
		if (run)
			rc = a.verb->exec(&ctx, &a);
		cmd_args_free(&a);
	}
	*err = cu_captured();
	return rc;
}

static int
cmd_refuses(const struct cmd_entry *e, char **argv, int run,
    const char *text)
{
	char	*err;
	int	 rc = run_cmd(e, argv, run, NULL, &err), ok;

	ok = rc == CMD_USAGE && strstr(err, text) != NULL;
	if (!ok)
		printf("\n  ** exit %d, want 2 with \"%s\" in: %s", rc, text,
		    err);
	free(err);
	return ok;
}

static void
test_command_lines(void)
{
	const struct cmd_entry	*as = &cmd_assignment_entry;
	const struct cmd_entry	*au = &cmd_audit_entry;
	char	*add[] = { "add", "--audit", "a1", "--auditor", "alice",
		    "--role", "lead", "--notes", "n", NULL };
	char	*norole[] = { "add", "--audit", "a1", "--auditor", "alice",
		    NULL };
	char	*badrole[] = { "add", "--audit", "a1", "--auditor", "alice",
		    "--role", "leed", NULL };
	char	*override[] = { "add", "--audit", "a1", "--auditor",
		    "alice", "--role", "lead", "--override", "x", NULL };
	char	*list[] = { "list", "--role", "trainee", "--status",
		    "confirmed", "--audit", "a1", NULL };
	char	*empty[] = { "confirm", "as1", "--override", "", NULL };
	char	*badid[] = { "withdraw", "a/1", NULL };
	char	*teamrole[] = { "check", "a1", "--team", "alice:leed",
		    NULL };
	char	*teamdup[] = { "check", "a1", "--team", "alice:lead",
		    "--team", "alice:auditor", NULL };
	char	*csv[] = { "check", "a1", "--csv", NULL };
	char	*limit[] = { "candidates", "a1", "--limit", "0", NULL };
	char	*offset[] = { "candidates", "a1", "--offset", "-1", NULL };
	json_t	*doc = NULL, *want;
	char	*err;

	CU_ASSERT_EQUAL(run_cmd(as, add, 0, &doc, &err), 0);
	want = doc_of("{\"audit\":\"a1\",\"auditor\":\"alice\",\"role\":"
	    "\"lead\",\"notes\":\"n\"}");
	CU_ASSERT(json_equal(doc, want));
	json_decref(want);
	json_decref(doc);
	free(err);
	CU_ASSERT_EQUAL(run_cmd(as, list, 0, &doc, &err), 0);
	want = doc_of("{\"audit\":\"a1\",\"role\":\"trainee\",\"status\":"
	    "\"confirmed\"}");
	CU_ASSERT(json_equal(doc, want));
	json_decref(want);
	json_decref(doc);
	free(err);

	CU_ASSERT(cmd_refuses(as, norole, 0, "missing required option "
	    "--role"));
	CU_ASSERT(cmd_refuses(as, badrole, 0, "--role: 'leed' is not one of: "
	    "lead, auditor, technical_expert, observer, trainee; did you mean "
	    "'lead'?"));
	/* override is the server's to complete: only confirm takes it. */
	CU_ASSERT(cmd_refuses(as, override, 0, "unknown option '--override'"));
	CU_ASSERT(cmd_refuses(as, empty, 1, "--override: the reason is empty"));
	CU_ASSERT(cmd_refuses(as, badid, 1, "'a/1' is not a record of "
	    "assignments"));
	CU_ASSERT(cmd_refuses(au, teamrole, 1, "--team: role 'leed' of alice "
	    "is not one of"));
	CU_ASSERT(cmd_refuses(au, teamdup, 1, "auditor 'alice' is given "
	    "twice"));
	CU_ASSERT(cmd_refuses(au, csv, 1, "--csv: 'audit check' prints no "
	    "table; use --json"));
	CU_ASSERT(cmd_refuses(au, limit, 1, "--limit: '0' is not a number "
	    "from 1 to 1000"));
	CU_ASSERT(cmd_refuses(au, offset, 1, "--offset: '-1' is not a "
	    "number"));
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "verdict in ASCII", test_verdict_ascii },
		{ "verdict in UTF-8", test_verdict_utf8 },
		{ "verdict edges", test_verdict_edges },
		{ "not a verdict, unsafe text", test_verdict_bad },
		{ "candidates table", test_candidates_table },
		{ "candidates CSV and JSON", test_candidates_csv_json },
		{ "proposal found and not", test_proposal },
		{ "--team parsing", test_team_parse },
		{ "check-failed problem", test_check_failed },
		{ "assignment and audit command lines", test_command_lines },
		{ NULL, NULL }
	};

	return cu_run("cli_check", tests);
}
