/*
 * cases_ops.c: operations over the API: GET /v1/backup and auditorctl
 * backup (admin only; the copy is an LMDB data file, 0600, never half
 * written), and personal data: an auditor's export (themself, hr, admin)
 * and erasure (admin). Records under ids ops-*; the principals come from
 * cases_principal().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases.h"

/*
 * 1 if data is a whole LMDB data file: both meta pages carry LMDB's magic,
 * and the newer one's last page (mm_last_pg; the page size is kept in the
 * free DB's md_pad) ends exactly where the data ends: a cut copy fails.
 * Offsets: a 16-byte page header, then MDB_meta: magic, version, address,
 * mapsize, two 48-byte MDB_db, last_pg, txnid.
 */
static int
whole_lmdb_file(const char *data, size_t len)
{
	uint32_t	magic, psize;
	uint64_t	last[2], txn[2];
	size_t		m, i;

	if (len < 2 * 4096)
		return 0;
	memcpy(&psize, data + 16 + 4 + 4 + 8 + 8, 4);
	if (psize < 512 || psize > 65536 || len < 2 * (size_t)psize)
		return 0;
	for (m = 0; m < 2; m++) {
		memcpy(&magic, data + m * psize + 16, 4);
		if (magic != 0xBEEFC0DE)
			return 0;
		memcpy(&last[m], data + m * psize + 136, 8);
		memcpy(&txn[m], data + m * psize + 144, 8);
	}
	i = txn[1] > txn[0];
	return (last[i] + 1) * psize == len;
}

void
ops_backup(void)
{
	struct resp	 r;
	struct proc	 p;
	struct stat	 sb;
	char		 file[PATH_MAX], tmp[PATH_MAX + 8], hdr[256];

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("alice"));
	client_http(&r, "admin", "GET", "/v1/backup", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(whole_lmdb_file(r.body, r.len));
	CU_ASSERT(client_header(&r, "Content-Type", hdr, sizeof hdr) &&
	    strcmp(hdr, "application/octet-stream") == 0);
	CU_ASSERT(client_header(&r, "Content-Disposition", hdr, sizeof hdr) &&
	    strstr(hdr, "attachment; filename=\"auditord-") == hdr);
	client_resp_free(&r);
	/* Admin alone; no query. */
	client_http(&r, "hr", "GET", "/v1/backup", NULL, NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	client_http(&r, "alice", "GET", "/v1/backup", NULL, NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/backup?full=1", NULL, NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);

	/* auditorctl: the file whole and 0600, no .tmp left. */
	harness_file(file, "ops-backup.mdb");
	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	umask(022);
	CTL(&p, "admin", "backup", file);
	EXPECT_EXIT(&p, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "bytes in"));
	harness_proc_free(&p);
	CU_ASSERT_FATAL(stat(file, &sb) == 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
	CU_ASSERT(sb.st_size >= 4096);
	CU_ASSERT(access(tmp, F_OK) == -1);
	/* Refused: exit 3, the good backup stays as it was, no .tmp. */
	CTL(&p, "hr", "backup", file);
	EXPECT_EXIT(&p, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.err, "Forbidden"));
	harness_proc_free(&p);
	CU_ASSERT(access(tmp, F_OK) == -1);
	CU_ASSERT(stat(file, &sb) == 0 && sb.st_size >= 4096);
	/* A file that cannot be written is a usage error before any request. */
	CTL(&p, "admin", "backup", "/nonexistent-dir/x.mdb");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	unlink(file);
}

/* POST a training of auditor as admin; 1 if it answered 201. */
static int
make_training(const char *id, const char *auditor)
{
	struct resp	r;
	int		ok;

	client_json(&r, "admin", "POST", "/v1/trainings", json_pack("{s:s, "
	    "s:s, s:s, s:s, s:i, s:b, s:b}", "id", id, "auditor", auditor,
	    "title", "Ops canary course", "date", "2026-01-15", "hours", 8,
	    "cpd", 1, "verified", 0), NULL);
	ok = client_status(&r, 201);
	client_resp_free(&r);
	return ok;
}

void
ops_personal_export(void)
{
	struct resp	 r;
	struct proc	 p;
	json_t		*recs, *j;

	CU_ASSERT_FATAL(cases_principal("alice"));
	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("manager"));
	CU_ASSERT_FATAL(make_training("ops-exp-t1", "alice"));

	/* The auditor themself: their record, training and principal. */
	client_http(&r, "alice", "GET", "/v1/auditors/alice/export", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(cases_valid_as(&r, "personal-export"));
	CU_ASSERT_STRING_EQUAL(client_str(&r, "auditor_id"), "alice");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "auditor"),
	    "id"), "alice");
	recs = json_object_get(r.json, "records");
	CU_ASSERT_PTR_NOT_NULL(client_find(json_object_get(recs, "trainings"),
	    "ops-exp-t1"));
	CU_ASSERT_PTR_NOT_NULL(client_find(json_object_get(recs, "principals"),
	    "p-alice"));
	client_resp_free(&r);
	/* hr and admin may; a manager may not; another's is 404 to alice. */
	client_http(&r, "hr", "GET", "/v1/auditors/alice/export", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	client_http(&r, "manager", "GET", "/v1/auditors/alice/export", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	CU_ASSERT_FATAL(cases_make_auditor("ops-exp-other", "Ops"));
	client_http(&r, "alice", "GET", "/v1/auditors/ops-exp-other/export",
	    NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors/ops-nobody/export", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/auditors/alice/export?x=1", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);

	/* auditorctl prints the same document. */
	CTL(&p, "alice", "auditor", "export", "alice");
	EXPECT_EXIT(&p, 0);
	j = json_loads(p.out, 0, NULL);
	CU_ASSERT_STRING_EQUAL(client_sv(j, "auditor_id"), "alice");
	json_decref(j);
	harness_proc_free(&p);
	CTL(&p, "manager", "auditor", "export", "alice");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
}

void
ops_personal_erase(void)
{
	struct resp	 r;
	struct proc	 p;
	json_t		*tomb;

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_make_auditor("ops-er", "Ops"));
	CU_ASSERT_FATAL(make_training("ops-er-t1", "ops-er"));
	CU_ASSERT_FATAL(make_training("ops-er-t2", "ops-er"));

	/* hr may delete auditors but not erase them; bad values are 400. */
	client_http(&r, "hr", "DELETE", "/v1/auditors/ops-er?erase=true", NULL,
	    NULL);
	EXPECT_PROBLEM(&r, 403, "forbidden");
	client_resp_free(&r);
	client_http(&r, "admin", "DELETE", "/v1/auditors/ops-er?erase=yes",
	    NULL, NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	client_http(&r, "admin", "DELETE", "/v1/auditors/ops-er?purge=true",
	    NULL, NULL);
	EXPECT_PROBLEM(&r, 400, "bad-request");
	client_resp_free(&r);
	/* A plain delete is refused while trainings point at the auditor. */
	client_http(&r, "admin", "DELETE", "/v1/auditors/ops-er?erase=false",
	    NULL, NULL);
	EXPECT_PROBLEM(&r, 409, "referenced");
	client_resp_free(&r);
	client_http(&r, "admin", "DELETE", "/v1/auditors/ops-nobody?erase=true",
	    NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);

	client_http(&r, "admin", "DELETE", "/v1/auditors/ops-er?erase=true",
	    NULL, NULL);
	EXPECT_STATUS(&r, 200);
	tomb = json_object_get(r.json, "auditor");
	CU_ASSERT_STRING_EQUAL(client_sv(tomb, "id"), "ops-er");
	CU_ASSERT_STRING_EQUAL(client_sv(tomb, "name"), "Erased auditor");
	CU_ASSERT_STRING_EQUAL(client_sv(tomb, "email"), "erased@invalid");
	CU_ASSERT_STRING_EQUAL(client_sv(tomb, "status"), "retired");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(
	    r.json, "removed"), "trainings")), 2);
	client_resp_free(&r);
	client_http(&r, "admin", "GET", "/v1/trainings/ops-er-t1", NULL, NULL);
	EXPECT_PROBLEM(&r, 404, "not-found");
	client_resp_free(&r);
	/* What is left about the person: the tombstone alone. */
	client_http(&r, "admin", "GET", "/v1/auditors/ops-er/export", NULL,
	    NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(json_object_get(
	    r.json, "records"), "trainings")), 0);
	client_resp_free(&r);
	/* The chain still verifies. */
	client_http(&r, "admin", "GET", "/v1/events/verify", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(json_is_true(json_object_get(r.json, "ok")));
	client_resp_free(&r);

	/* auditorctl: admin erases; hr is refused (exit 3). */
	CU_ASSERT_FATAL(cases_make_auditor("ops-er2", "Ops"));
	CTL(&p, "hr", "auditor", "erase", "ops-er2");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	CTL(&p, "admin", "auditor", "erase", "ops-er2");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "ops-er2: personal data erased"));
	harness_proc_free(&p);
}
