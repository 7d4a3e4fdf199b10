/*
 * fixture.h: a hand-built store for the unit tests of the competence rules
 * and their rows: the daemon's own collections and aux tables in a fresh
 * temporary directory, written through records_apply (the path every
 * change of the API and of an import takes: prepare, validation, store
 * write, derived rows), as an admin principal.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/records.h"
#include "api/router.h"
#include "schema/schema.h"
#include "store/store.h"

struct fixture {
	char		 dir[64];
	struct store	*st;
};

/* A fresh store; 0, or -1 after saying why. */
static inline int
fixture_open(struct fixture *f, size_t map_size)
{
	struct store_opts	o;
	char			err[256];

	if (schema_builtin_init(err, sizeof err) != 0) {
		fprintf(stderr, "schemas: %s\n", err);
		return -1;
	}
	snprintf(f->dir, sizeof f->dir, "/tmp/auditord-fx-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	memset(&o, 0, sizeof o);
	o.path = f->dir;
	o.map_size = map_size;
	o.colls = records_store_colls();
	o.aux = records_aux_names();
	o.aux_version = RECORDS_ROWS_VERSION;
	o.aux_rebuild = records_rebuild;
	if ((f->st = store_open(&o, err, sizeof err)) == NULL) {
		fprintf(stderr, "store_open: %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * Close f's store and open it again with aux_version version (NULL: the
 * daemon's), as a daemon of another release would; 0, or -1 after saying
 * why.
 */
static inline int
fixture_reopen(struct fixture *f, size_t map_size, const char *version)
{
	struct store_opts	o;
	char			err[256];

	store_free(f->st);
	memset(&o, 0, sizeof o);
	o.path = f->dir;
	o.map_size = map_size;
	o.colls = records_store_colls();
	o.aux = records_aux_names();
	o.aux_version = version != NULL ? version : RECORDS_ROWS_VERSION;
	o.aux_rebuild = records_rebuild;
	if ((f->st = store_open(&o, err, sizeof err)) == NULL) {
		fprintf(stderr, "store_open: %s\n", err);
		return -1;
	}
	return 0;
}

static inline void
fixture_close(struct fixture *f)
{
	char	cmd[128];

	store_free(f->st);
	f->st = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
}

/* One change of one record as admin; body is taken. */
static inline void
fixture_change(struct records_change *ch, const char *coll,
    enum records_op op, const char *id, json_t *body)
{
	memset(ch, 0, sizeof *ch);
	ch->res = router_resource(coll);
	ch->op = op;
	snprintf(ch->id, sizeof ch->id, "%s", id);
	ch->body = body;
	snprintf(ch->who.id, sizeof ch->who.id, "admin");
	ch->who.role = ROLE_ADMIN;
	ch->scope = SCOPE_ALL;
}

static inline int
fixture_apply_one(struct store_txn *t, void *arg)
{
	return records_apply(t, arg);
}

/*
 * Run one change through the writer; the store result. A refusal prints
 * the errors it named, so a test's bad document shows at once.
 */
static inline int
fixture_apply(struct fixture *f, const char *coll, enum records_op op,
    const char *id, json_t *body)
{
	struct records_change	ch;
	char			*e;
	int			 rc;

	fixture_change(&ch, coll, op, id, body);
	rc = store_write(f->st, fixture_apply_one, &ch, "admin");
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		e = ch.errors != NULL ? json_dumps(ch.errors, JSON_COMPACT) :
		    NULL;
		fprintf(stderr, "%s %s: %s %s %s\n", coll, id,
		    store_strerror(rc), e != NULL ? e : "", ch.err.message);
		free(e);
	}
	records_change_clear(&ch);
	return rc;
}

/* Create coll/id from a json_pack format; the store result. */
static inline int
fixture_put(struct fixture *f, const char *coll, const char *id,
    const char *fmt, ...)
{
	va_list	 ap;
	json_t	*doc;

	va_start(ap, fmt);
	doc = json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	if (doc == NULL)
		return STORE_IO;
	return fixture_apply(f, coll, RECORDS_CREATE, id, doc);
}

#endif
