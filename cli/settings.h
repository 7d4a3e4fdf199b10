/*
 * settings.h: where auditorctl finds its server and certificates. Each of
 * server, ca, cert, key comes from the first of: command-line option,
 * AUDITORCTL_* environment variable, config file, development defaults.
 * (Named settings, not config: daemon/config.h owns config_*.)
 */
#ifndef SETTINGS_H
#define SETTINGS_H

#include <stddef.h>

#define SETTINGS_SERVER		"https://127.0.0.1:8443"
#define SETTINGS_DEVDIR		"certs/dev"

/* One source's values; NULL where it has none. Members are malloc'd. */
struct settings {
	char	*server;
	char	*ca;
	char	*cert;
	char	*key;
};

/* Free the members and set them to NULL. */
void	settings_clear(struct settings *);

/*
 * The config file to read: $AUDITORCTL_CONFIG, else
 * $XDG_CONFIG_HOME/auditorctl/config, else $HOME/.config/auditorctl/config.
 * Malloc'd; NULL when none can be formed (no HOME).
 */
char	*settings_path(void);

/*
 * Read the INI file at path into out: keys server, ca, cert, key at the top
 * or in an [auditorctl] section. Relative ca/cert/key paths are taken
 * relative to the file's directory, "~/" to $HOME. A missing file is not an
 * error (out stays empty). Returns 0, or -1 with "PATH:LINE: why" in err
 * for an unknown section or key, a syntax error, or a file that exists but
 * cannot be read.
 */
int	settings_file(const char *path, struct settings *out, char *err,
	    size_t errlen);

/* AUDITORCTL_SERVER, _CA, _CERT, _KEY (empty counts as unset). 0 or -1. */
int	settings_env(struct settings *out);

/*
 * Development defaults: when DEVDIR/ca.crt exists, ca, cert and key are
 * DEVDIR/ca.crt, DEVDIR/admin.crt and DEVDIR/admin.key. 0 or -1.
 */
int	settings_dev(const char *devdir, struct settings *out);

/*
 * Merge levels[0..n) (highest precedence first; names[] say what each is,
 * for messages) into out. server and ca come from the first level that has
 * them (server defaults to SETTINGS_SERVER). cert and key come as a pair
 * from the first level that has either: a cert alone means a PEM file that
 * also holds the key; a key alone is an error. Returns 0, or -1 with a
 * message in err.
 */
int	settings_merge(struct settings *out, const struct settings *const *,
	    const char *const *names, size_t n, char *err, size_t errlen);

#endif
