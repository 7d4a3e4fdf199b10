/*
 * comp.h: what the competence cases (cases_competence*.c) share: the four
 * resources described for generic cases, valid documents, principals with
 * certificates of their own, and checks on lists and 422 answers. Every
 * request goes through client.h; a helper that needs admin says so.
 */
#ifndef COMP_H
#define COMP_H

#include "cases.h"

#define COMP_MERGE	"Content-Type: application/merge-patch+json"

/* One competence resource as the generic cases drive it. */
struct comp_kind {
	const char	*coll;		/* the collection */
	const char	*pfx;		/* its cases' id prefix */
	const char	*date;		/* the field ?from= and ?to= bound */
	const char	*filter;	/* its x-filter besides auditor */
	const char	*fv[2];		/* two values of that filter */
	const char	*field;		/* an optional string field */
	/* A valid document (new reference); fv is the filter's value. */
	json_t		*(*doc)(const char *id, const char *aud,
			    const char *date, const char *fv, const char *area);
};

extern const struct comp_kind	 comp_quals, comp_trainings, comp_evals,
				 comp_decls;
/* The four, in that order. */
extern const struct comp_kind	*const comp_all[4];

/* Valid documents (new references); area is one area id. */
json_t	*comp_qual_doc(const char *id, const char *aud, const char *date,
	    const char *kind, const char *area);
json_t	*comp_training_doc(const char *id, const char *aud, const char *date,
	    const char *category, const char *area);
json_t	*comp_eval_doc(const char *id, const char *aud, const char *date,
	    const char *result, const char *area);
json_t	*comp_decl_doc(const char *id, const char *aud, const char *date,
	    const char *kind, const char *unused);

/* Today in UTC (YYYY-MM-DD): the day the daemon stamps a verification. */
void	 comp_today(char out[16]);

/* s parsed as JSON (new reference); a bad literal fails the case. */
json_t	*comp_j(const char *s);

/* POST an area as admin; 1 if it answered 201. */
int	 comp_area(const char *id);

/*
 * A principal "p-NAME" of role (for auditor when not NULL) whose
 * certificate NAME.crt/.key (signed by the test CA) is made here; 1 if
 * the principal was created.
 */
int	 comp_principal(const char *name, const char *role,
	    const char *auditor);

/* The record at path as admin sees it (new reference), or NULL. */
json_t	*comp_get(const char *path);

/*
 * One request as who, body a JSON literal or NULL: its status checked,
 * and its problem type when slug is not NULL.
 */
void	 comp_expect(const char *who, const char *method, const char *path,
	    const char *body, int status, const char *slug);

/* 1 if the answer's ETag is "rev" and its body's rev is rev. */
int	 comp_etag(const struct resp *, long long rev);

/*
 * Send doc (taken) as who and require a 422 of type slug whose errors[]
 * paths are exactly paths (joined by ','), the first with message when
 * not NULL; then, unless check is NULL, that nothing is at check (a path
 * GET as admin).
 */
void	 comp_422(const char *who, const char *method, const char *path,
	    json_t *doc, const char *slug, const char *paths,
	    const char *message, const char *check);

/*
 * The ids a list answers (one page), joined by ',', then " next=ID" when
 * the answer names a next page; an id that starts with "PFX-" is shown
 * without it, any other in full. "HTTP n" when the answer is not a 200
 * list. Returns out.
 */
const char	*comp_ids(const char *who, const char *url, const char *pfx,
		    char *out, size_t len);

/*
 * The items of the list answer to GET url as who (new reference), which
 * must be one page; NULL when it is not a list.
 */
json_t	*comp_items(const char *who, const char *url);

/* Require that list url (as who) shows exactly want (see comp_ids). */
#define EXPECT_IDS(who, url, pfx, want) do {				\
	char	got_[1024];						\
									\
	comp_ids((who), (url), (pfx), got_, sizeof got_);		\
	if (strcmp(got_, (want)) != 0)					\
		printf("\n  ** %s as %s lists '%s', expected '%s'\n",	\
		    (url), (who), got_, (want));			\
	CU_ASSERT_STRING_EQUAL(got_, (want));				\
} while (0)

#endif
