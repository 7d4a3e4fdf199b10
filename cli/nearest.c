/*
 * nearest.c: did you mean: the name nearest to a word that is none
 * (cmd_nearest), and the usage error for an unknown verb that offers it.
 */
#include <stdint.h>
#include <string.h>

#include "cmd.h"

/* Optimal string alignment distance; both at most CMD_NEAR_MAX bytes. */
static size_t
near_distance(const char *a, const char *b)
{
	unsigned char	d[CMD_NEAR_MAX + 1][CMD_NEAR_MAX + 1];
	size_t		la = strlen(a), lb = strlen(b), i, j, best;

	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1u < best)
				best = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < best)
				best = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1u < best)
				best = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)best;
		}
	return d[la][lb];
}

const char *
cmd_nearest(const char *word, const char *const *names, size_t n)
{
	const char	*pick = NULL;
	size_t		 i, d, best = SIZE_MAX, len = strlen(word), prefixes = 0;
	int		 tie = 0;

	if (len == 0 || len > CMD_NEAR_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(names[i], word, len) == 0) {
			pick = names[i];
			prefixes++;
		}
	/* Two names start so: which one is a guess, so none is made. */
	if (prefixes > 0)
		return prefixes == 1 ? pick : NULL;
	pick = NULL;
	for (i = 0; i < n; i++) {
		if (strlen(names[i]) > CMD_NEAR_MAX)
			continue;
		d = near_distance(word, names[i]);
		if (d < best) {
			best = d;
			pick = names[i];
			tie = 0;
		} else if (d == best)
			tie = 1;
	}
	/* A name that shares nothing with the word is no suggestion. */
	if (pick == NULL || tie || best > 2 || best >= strlen(pick))
		return NULL;
	return pick;
}

int
cmd_unknown_verb(const struct cmd_entry *e, const char *word)
{
	const char	*names[64], *near;
	size_t		 i, n = e->nverbs < 64 ? e->nverbs : 64;

	for (i = 0; i < n; i++)
		names[i] = e->verbs[i].name;
	if ((near = cmd_nearest(word, names, n)) != NULL)
		return cmd_usage_error(e, NULL, "unknown verb '%s %s'; did you "
		    "mean '%s %s'?", e->name, word, e->name, near);
	return cmd_usage_error(e, NULL, "unknown verb '%s %s'", e->name, word);
}
