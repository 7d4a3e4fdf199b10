/*
 * settings.c: auditorctl's server and certificate settings from options,
 * environment, config file (INI, libinih) and development defaults; see
 * settings.h for the precedence.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "settings.h"

/* One key of the config file and where it lands. */
struct key {
	const char	*name;
	size_t		 off;
	int		 path;		/* a file name: resolved against the dir */
};

static const struct key keys[] = {
	{ "ca", offsetof(struct settings, ca), 1 },
	{ "cert", offsetof(struct settings, cert), 1 },
	{ "key", offsetof(struct settings, key), 1 },
	{ "server", offsetof(struct settings, server), 0 },
};

struct parse {
	struct settings	*out;
	const char	*dir;		/* the file's directory */
	char		 why[256];	/* the first error */
	int		 nomem;
};

static char **
member(struct settings *s, const struct key *k)
{
	return (char **)((char *)s + k->off);
}

void
settings_clear(struct settings *s)
{
	size_t	i;

	for (i = 0; i < sizeof keys / sizeof *keys; i++) {
		free(*member(s, &keys[i]));
		*member(s, &keys[i]) = NULL;
	}
}

char *
settings_path(void)
{
	const char	*p;
	char		*path;

	if ((p = getenv("AUDITORCTL_CONFIG")) != NULL && p[0] != '\0')
		return strdup(p);
	if ((p = getenv("XDG_CONFIG_HOME")) != NULL && p[0] == '/') {
		if (asprintf(&path, "%s/auditorctl/config", p) == -1)
			return NULL;
		return path;
	}
	if ((p = getenv("HOME")) == NULL || p[0] == '\0')
		return NULL;
	if (asprintf(&path, "%s/.config/auditorctl/config", p) == -1)
		return NULL;
	return path;
}

/* A file named in the config file, as the user would mean it. */
static char *
resolve(const char *dir, const char *value)
{
	const char	*home;
	char		*out;

	if (value[0] == '/' || value[0] == '\0')
		return strdup(value);
	if (strncmp(value, "~/", 2) == 0 && (home = getenv("HOME")) != NULL) {
		if (asprintf(&out, "%s/%s", home, value + 2) == -1)
			return NULL;
		return out;
	}
	if (asprintf(&out, "%s/%s", dir, value) == -1)
		return NULL;
	return out;
}

static int
on_key(void *arg, const char *section, const char *name, const char *value)
{
	struct parse	*p = arg;
	char		*v, **m;
	size_t		 i;

	if (section[0] != '\0' && strcmp(section, "auditorctl") != 0) {
		if (p->why[0] == '\0')
			snprintf(p->why, sizeof p->why, "unknown section [%s]",
			    section);
		return 0;
	}
	for (i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strcmp(keys[i].name, name) == 0)
			break;
	if (i == sizeof keys / sizeof *keys) {
		if (p->why[0] == '\0')
			snprintf(p->why, sizeof p->why, "unknown key '%s' "
			    "(known: server, ca, cert, key)", name);
		return 0;
	}
	v = keys[i].path ? resolve(p->dir, value) : strdup(value);
	if (v == NULL) {
		p->nomem = 1;
		return 0;
	}
	m = member(p->out, &keys[i]);
	free(*m);
	*m = v;
	return 1;
}

int
settings_file(const char *path, struct settings *out, char *err,
    size_t errlen)
{
	struct parse	 p;
	FILE		*f;
	char		*dir = NULL, *slash;
	int		 line, rc = -1;

	memset(&p, 0, sizeof p);
	p.out = out;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if ((dir = strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	p.dir = dir;
	line = ini_parse_file(f, on_key, &p);
	if (p.nomem || line < 0)
		snprintf(err, errlen, "%s: %s", path, p.nomem ?
		    "out of memory" : "cannot parse");
	else if (line > 0)
		snprintf(err, errlen, "%s:%d: %s", path, line,
		    p.why[0] ? p.why : "syntax error");
	else
		rc = 0;
 done:
	free(dir);
	fclose(f);
	if (rc == -1)
		settings_clear(out);
	return rc;
}

int
settings_env(struct settings *out)
{
	static const char *const	vars[] = { "AUDITORCTL_CA",
	    "AUDITORCTL_CERT", "AUDITORCTL_KEY", "AUDITORCTL_SERVER" };
	const char			*v;
	char				**m;
	size_t				 i;

	/* vars[] follows keys[] order. */
	for (i = 0; i < sizeof keys / sizeof *keys; i++) {
		if ((v = getenv(vars[i])) == NULL || v[0] == '\0')
			continue;
		m = member(out, &keys[i]);
		free(*m);
		if ((*m = strdup(v)) == NULL) {
			settings_clear(out);
			return -1;
		}
	}
	return 0;
}

int
settings_dev(const char *devdir, struct settings *out)
{
	char	*ca = NULL;

	if (asprintf(&ca, "%s/ca.crt", devdir) == -1)
		return -1;
	if (access(ca, F_OK) == -1) {
		free(ca);
		return 0;
	}
	settings_clear(out);
	out->ca = ca;
	if (asprintf(&out->cert, "%s/admin.crt", devdir) == -1) {
		out->cert = NULL;
		goto fail;
	}
	if (asprintf(&out->key, "%s/admin.key", devdir) == -1) {
		out->key = NULL;
		goto fail;
	}
	return 0;
 fail:
	settings_clear(out);
	return -1;
}

static int
copy(char **dst, const char *src)
{
	free(*dst);
	*dst = NULL;
	if (src != NULL && (*dst = strdup(src)) == NULL)
		return -1;
	return 0;
}

int
settings_merge(struct settings *out, const struct settings *const *levels,
    const char *const *names, size_t n, char *err, size_t errlen)
{
	const char	*server = SETTINGS_SERVER, *ca = NULL;
	size_t		 i;
	int		 have_server = 0, have_ca = 0;

	settings_clear(out);
	for (i = 0; i < n; i++) {
		if (!have_server && levels[i]->server != NULL) {
			server = levels[i]->server;
			have_server = 1;
		}
		if (!have_ca && levels[i]->ca != NULL) {
			ca = levels[i]->ca;
			have_ca = 1;
		}
	}
	if (copy(&out->server, server) == -1 || copy(&out->ca, ca) == -1)
		goto nomem;
	/* A certificate and its key must come from the same place. */
	for (i = 0; i < n; i++) {
		if (levels[i]->cert == NULL && levels[i]->key == NULL)
			continue;
		if (levels[i]->cert == NULL) {
			snprintf(err, errlen, "a key without a certificate "
			    "(%s)", names[i]);
			settings_clear(out);
			return -1;
		}
		if (copy(&out->cert, levels[i]->cert) == -1 ||
		    copy(&out->key, levels[i]->key ? levels[i]->key :
		    levels[i]->cert) == -1)
			goto nomem;
		break;
	}
	return 0;
 nomem:
	snprintf(err, errlen, "out of memory");
	settings_clear(out);
	return -1;
}
