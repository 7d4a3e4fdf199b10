/*
 * client.h: how the API tests talk to the daemon: the real curl for HTTP
 * (bodies parsed with jansson), the real auditorctl for the CLI, and the
 * checks on answers that every case repeats.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stddef.h>

#include <jansson.h>

#include "harness.h"

/* One HTTP exchange made with curl. Every pointer is owned by it. */
struct resp {
	int	 curl;		/* curl's exit code (0: an answer came) */
	int	 status;	/* HTTP status; 0 when there was none */
	char	*body;		/* NUL-terminated */
	size_t	 len;
	char	*headers;	/* the final response's header block */
	json_t	*json;		/* the parsed body, NULL if not JSON */
	char	 what[192];	/* "METHOD PATH as WHO", for messages */
	char	*err;		/* curl's stderr */
};

/*
 * Run curl: method on path (e.g. "/v1/auditors?limit=2") as who (a
 * certificate name in the test directory, "admin", "rogue", ...; NULL: no
 * client certificate), sending body (NULL: none) as application/json unless
 * a Content-Type is among the extra header lines that follow (NULL-ended).
 * Returns r->status. Free r with client_resp_free().
 */
int	client_http(struct resp *r, const char *who, const char *method,
	    const char *path, const char *body, ...)
	    __attribute__((sentinel));

/* Like client_http, body given as JSON (the reference is taken). */
int	client_json(struct resp *r, const char *who, const char *method,
	    const char *path, json_t *body, ...) __attribute__((sentinel));

/*
 * Send body from a file of the test directory (for large bodies), with one
 * extra header line hdr (NULL: none).
 */
int	client_http_file(struct resp *r, const char *who, const char *method,
	    const char *path, const char *file, const char *hdr);

void	client_resp_free(struct resp *);

/* Print what was asked and what came back (for a failed check). */
void	client_dump(const struct resp *, const char *why);

/*
 * The value of header name in r's final header block, copied into out.
 * Returns 1 if present, else 0 (out is then "").
 */
int	client_header(const struct resp *, const char *name, char *out,
	    size_t len);

/*
 * 1 if r is an application/problem+json answer with this status whose type
 * is urn:auditord:problem:SLUG and whose body repeats the status, has the
 * status's standard title and a non-empty detail, and holds nothing else
 * but a well-formed errors[] ({path, message}, paths JSON Pointers). Prints
 * what differs otherwise.
 */
int	client_problem(const struct resp *, int status, const char *slug);

/* 1 if the problem's detail holds text; prints it otherwise. */
int	client_detail_has(const struct resp *, const char *text);

/* 1 if the problem's errors[] has an entry with this JSON Pointer path. */
int	client_error_path(const struct resp *, const char *path);

/* 1 if errors[]'s paths are exactly the set paths (NULL-ended). */
int	client_error_paths(const struct resp *, const char *const paths[]);

/* 1 if r has status; prints r otherwise. */
int	client_status(const struct resp *, int status);

/* r->json's member key as a string, or NULL. */
const char	*client_str(const struct resp *, const char *key);

/* r->json's member key as an integer, or -1. */
long long	 client_int(const struct resp *, const char *key);

/* v's string, or "" when v is not a string (never NULL). */
const char	*client_s(const json_t *v);

/* obj's member key as a string, or "" (never NULL). */
const char	*client_sv(const json_t *obj, const char *key);

/* The object with "id" == id in an array, or NULL (borrowed). */
json_t	*client_find(json_t *array, const char *id);

/*
 * Lower-case hex SHA-256 of the DER of the test directory's NAME.crt into
 * hex (65 bytes). Returns 0, or -1 if it cannot be read.
 */
int	client_cert_sha256(const char *name, char *hex);

/*
 * Run auditorctl with --server, --ca, and --cert/--key for who (NULL: no
 * certificate options), then the arguments that follow (NULL-ended).
 * Returns p->code; free p with harness_proc_free().
 */
int	client_ctl(struct proc *p, const char *who, ...)
	    __attribute__((sentinel));

/* Run auditorctl with exactly argv after the program name and env extra. */
int	client_ctlv(struct proc *p, const char *const extra_env[],
	    const char *const args[]);

#endif
