/*
 * main.c: auditorctl [global options] NOUN VERB [ARGS]: global options and
 * settings, the one table of nouns, help and completion data generated from
 * the tables, dispatch, and the exit status.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "cmd.h"
#include "request.h"
#include "log.h"
#include "schema/schema.h"
#include "settings.h"

/* Sorted by name: searched with bsearch (checked at start-up). */
static const struct cmd_entry *const nouns[] = {
	&cmd_action_entry,
	&cmd_area_entry,
	&cmd_assignment_entry,
	&cmd_audit_entry,
	&cmd_auditor_entry,
	&cmd_backup_entry,
	&cmd_declaration_entry,
	&cmd_evaluation_entry,
	&cmd_events_entry,
	&cmd_export_entry,
	&cmd_finding_entry,
	&cmd_import_entry,
	&cmd_me_entry,
	&cmd_principal_entry,
	&cmd_programme_entry,
	&cmd_qualification_entry,
	&cmd_report_entry,
	&cmd_token_entry,
	&cmd_training_entry,
};
#define NNOUNS	(sizeof nouns / sizeof *nouns)

static const struct cmd_opt global_opts[] = {
	{ .name = "ca", .arg = "FILE",
	    .help = "CA certificate to verify the server with" },
	{ .name = "cert", .arg = "FILE",
	    .help = "client certificate (PEM; may also hold the key)" },
	{ .name = "key", .arg = "FILE",
	    .help = "the client certificate's key (PEM)" },
	{ .name = "server", .arg = "URL",
	    .help = "server (default " SETTINGS_SERVER ")" },
	{ .name = "version", .help = "print the version" },
	{ .name = NULL }
};

static const struct cmd_verb global_verb = {
	.name = "auditorctl", .args = "NOUN VERB [ARGS]", .nargs = -1,
	.help = "", .opts = global_opts
};

static const struct cmd_opt help_opts[] = {
	{ .name = "all", .help = "Every verb of every noun with its options." },
	{ .name = NULL }
};

/* `help` is a noun of its own; it has no cmd-help.c as it runs no request. */
static const struct cmd_verb help_verb = {
	.name = "help", .args = "[NOUN [VERB]]", .nargs = -1,
	.help = "Show help.", .opts = help_opts
};
static const struct cmd_entry help_entry = {
	.name = "help",
	.help = "Show help: auditorctl help [--all] [NOUN [VERB]].",
	.verbs = &help_verb,
	.nverbs = 1,
	.dflt = "help"
};

/* "unknown noun 'WORD'", with the nearest noun when one is close. */
static int
unknown_noun(const char *word)
{
	const char	*names[NNOUNS + 1], *near;
	size_t		 i;

	for (i = 0; i < NNOUNS; i++)
		names[i] = nouns[i]->name;
	names[NNOUNS] = help_entry.name;
	if ((near = cmd_nearest(word, names, NNOUNS + 1)) != NULL)
		return cmd_usage_error(NULL, NULL, "unknown noun '%s'; did you "
		    "mean '%s'?", word, near);
	return cmd_usage_error(NULL, NULL, "unknown noun '%s'", word);
}

static void
usage(FILE *fp)
{
	const struct cmd_opt	*o;
	char			 left[32];
	size_t			 i, w = 11;

	fprintf(fp, "usage: auditorctl [global options] NOUN VERB [ARGS]\n"
	    "Work with auditord, the service that keeps ISMS auditor "
	    "records.\n\nnouns:\n");
	for (i = 0; i < NNOUNS; i++)
		if (strlen(nouns[i]->name) > w)
			w = strlen(nouns[i]->name);
	for (i = 0; i < NNOUNS; i++)
		fprintf(fp, "  %-*s %s\n", (int)w, nouns[i]->name,
		    nouns[i]->help);
	fprintf(fp, "  %-*s %s\n\nglobal options:\n", (int)w, help_entry.name,
	    help_entry.help);
	for (o = global_opts; o->name != NULL; o++) {
		snprintf(left, sizeof left, "--%s%s%s", o->name,
		    o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(fp, "  %-22s %s\n", left, o->help);
	}
	fprintf(fp, "  %-22s %s\n  %-22s %s\n  %-22s %s\n", "--json",
	    "print the server's JSON", "--csv", "print CSV with a header row",
	    "--help", "show this help");
	fprintf(fp, "\nSettings also come from AUDITORCTL_SERVER, "
	    "AUDITORCTL_CA,\nAUDITORCTL_CERT, AUDITORCTL_KEY and "
	    "~/.config/auditorctl/config.\n"
	    "See 'auditorctl NOUN --help' and auditorctl(1).\n");
}

static void
help_all(void)
{
	size_t	i, j;

	usage(stdout);
	for (i = 0; i < NNOUNS; i++)
		for (j = 0; j < nouns[i]->nverbs; j++) {
			fputc('\n', stdout);
			cmd_usage_verb(stdout, nouns[i], &nouns[i]->verbs[j]);
		}
}

/* auditorctl help [--all] [NOUN [VERB]] */
static int
run_help(int argc, char **argv)
{
	const struct cmd_entry	*e = NULL;
	const struct cmd_verb	*v = NULL;
	struct cmd_args		 a;
	enum cmd_format		 fmt = CMD_FORMAT_TABLE;
	int			 help, rc;

	if ((rc = cmd_args_parse(&help_entry, &help_verb, argc, argv, 0, &a,
	    &help, &fmt)) != 0)
		return rc;
	if (a.argc > 2)
		rc = cmd_usage_error(&help_entry, NULL, "too many arguments");
	else if (a.argc >= 1 && (e = cmd_find_entry(nouns, NNOUNS,
	    a.argv[0])) == NULL)
		rc = unknown_noun(a.argv[0]);
	else if (a.argc == 2 && (v = cmd_find_verb(e, a.argv[1])) == NULL)
		rc = cmd_unknown_verb(e, a.argv[1]);
	else if (help)
		cmd_usage_verb(stdout, &help_entry, &help_verb);
	else if (v != NULL)
		cmd_usage_verb(stdout, e, v);
	else if (e != NULL)
		cmd_usage_entry(stdout, e);
	else if (cmd_arg(&a, "all") != NULL)
		help_all();
	else
		usage(stdout);
	cmd_args_free(&a);
	return rc;
}

/*
 * Completion data for the bash completion script and cli/check-man.sh,
 * always from the tables and the schemas they generate options from:
 * `auditorctl __complete WHAT [NOUN [VERB [OPT]]]`.
 */
static void
print_opts(const struct cmd_opt *o, size_t n, int builtins)
{
	size_t	i;

	for (i = 0; i < n; i++)
		printf("--%s%s%s\n", o[i].name, o[i].arg ? " " : "",
		    o[i].arg ? o[i].arg : "");
	if (builtins)
		printf("--json\n--csv\n--help\n");
}

static int
complete(int argc, char **argv)
{
	const struct cmd_entry	*e = NULL;
	const struct cmd_verb	*v = NULL;
	const struct cmd_opt	*o;
	const char *const	*c;
	struct cmd_optset	 set;
	const char		*what = argc > 1 ? argv[1] : "";
	size_t			 i, j;
	int			 rc = CMD_OK;

	memset(&set, 0, sizeof set);
	if (argc > 2 && (e = cmd_find_entry(nouns, NNOUNS, argv[2])) == NULL)
		return CMD_USAGE;
	if (argc > 3 && ((v = cmd_find_verb(e, argv[3])) == NULL ||
	    cmd_optset_build(e, v, cmd_schema(e), &set) == -1)) {
		cmd_optset_free(&set);
		return CMD_USAGE;
	}
	if (strcmp(what, "nouns") == 0) {
		for (i = 0; i < NNOUNS; i++)
			printf("%s\n", nouns[i]->name);
		printf("help\n");
	} else if (strcmp(what, "verbs") == 0 && e != NULL) {
		for (i = 0; i < e->nverbs; i++)
			printf("%s\n", e->verbs[i].name);
	} else if (strcmp(what, "commands") == 0) {
		for (i = 0; i < NNOUNS; i++)
			for (j = 0; j < nouns[i]->nverbs; j++)
				printf("%s %s\n", nouns[i]->name,
				    nouns[i]->verbs[j].name);
	} else if (strcmp(what, "options") == 0 && e == NULL) {
		for (i = 0; global_opts[i].name != NULL; i++)
			;
		print_opts(global_opts, i, 1);
	} else if (strcmp(what, "options") == 0 && v != NULL) {
		print_opts(set.opts, set.n, 1);
	} else if (strcmp(what, "choices") == 0 && v != NULL && argc > 4) {
		for (o = set.opts; o->name != NULL; o++)
			if (strcmp(o->name, argv[4] + strspn(argv[4], "-")) == 0)
				for (c = o->choices; c != NULL && *c != NULL;
				    c++)
					printf("%s\n", *c);
	} else
		rc = CMD_USAGE;
	cmd_optset_free(&set);
	return rc;
}

/* Option > environment > config file > development defaults. */
static int
resolve_settings(const struct cmd_args *g, struct settings *out)
{
	struct settings		 opt = { NULL, NULL, NULL, NULL };
	struct settings		 env = opt, file = opt, dev = opt;
	const struct settings	*levels[] = { &opt, &env, &file, &dev };
	const char		*names[] = { "command line", "environment",
				    "config file", "development defaults" };
	struct client_url	 url;
	char			*path, err[1024];
	int			 rc = CMD_USAGE;

	path = settings_path();
	if (path != NULL)
		names[2] = path;
	if ((cmd_arg(g, "server") && !(opt.server = strdup(cmd_arg(g,
	    "server")))) || (cmd_arg(g, "ca") && !(opt.ca = strdup(cmd_arg(g,
	    "ca")))) || (cmd_arg(g, "cert") && !(opt.cert = strdup(cmd_arg(g,
	    "cert")))) || (cmd_arg(g, "key") && !(opt.key = strdup(cmd_arg(g,
	    "key")))) || settings_env(&env) == -1 ||
	    settings_dev(SETTINGS_DEVDIR, &dev) == -1) {
		log_warnx("out of memory");
		goto done;
	}
	if (path != NULL && settings_file(path, &file, err, sizeof err) == -1) {
		log_warnx("%s", err);
		goto done;
	}
	if (settings_merge(out, levels, names, 4, err, sizeof err) == -1) {
		log_warnx("%s", err);
		goto done;
	}
	if (out->ca == NULL) {
		cmd_usage_error(NULL, NULL, "no CA certificate to verify the "
		    "server with: give --ca FILE, AUDITORCTL_CA or ca= in %s",
		    names[2]);
		goto done;
	}
	if (client_url_parse(out->server, &url, err, sizeof err) == -1) {
		cmd_usage_error(NULL, NULL, "%s", err);
		goto done;
	}
	rc = 0;
 done:
	settings_clear(&opt);
	settings_clear(&env);
	settings_clear(&file);
	settings_clear(&dev);
	free(path);
	return rc;
}

/*
 * Pick the noun's verb: the one named, or its default when none (or an
 * option) is. Returns 0, an exit code after a message, or -1 when the
 * noun's help was asked for and shown.
 */
static int
find_verb(const struct cmd_entry *e, int argc, char **argv,
    const struct cmd_verb **v, int *shift)
{
	*shift = 1;
	if (argc == 0 || argv[0][0] == '-') {
		if (argc > 0 && (strcmp(argv[0], "--help") == 0 ||
		    strcmp(argv[0], "-h") == 0)) {
			cmd_usage_entry(stdout, e);
			return -1;
		}
		if (e->dflt == NULL) {
			if (argc == 0) {
				cmd_usage_entry(stderr, e);
				return CMD_USAGE;
			}
			return cmd_usage_error(e, NULL, "'auditorctl %s' needs a "
			    "verb before options", e->name);
		}
		*v = cmd_find_verb(e, e->dflt);
		*shift = 0;
		return 0;
	}
	if ((*v = cmd_find_verb(e, argv[0])) == NULL) {
		/* A noun of one verb takes its arguments after the noun. */
		if (e->nverbs == 1 && e->dflt != NULL) {
			*v = e->verbs;
			*shift = 0;
			return 0;
		}
		return cmd_unknown_verb(e, argv[0]);
	}
	return 0;
}

static int
run(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct cmd_entry	*e;
	const struct cmd_verb	*v = NULL;
	struct cmd_args		 g, a;
	struct settings		 s = { NULL, NULL, NULL, NULL };
	enum cmd_format		 fmt = CMD_FORMAT_TABLE;
	int			 help, rc, shift, have_args = 0;
	char			**fake = NULL;

	if ((rc = cmd_args_parse(NULL, &global_verb, argc, argv,
	    CMD_PARSE_GLOBAL, &g, &help, &fmt)) != 0)
		return rc;
	if (cmd_arg(&g, "version") != NULL) {
		printf("auditorctl %s\n", AUDITORCTL_VERSION);
		goto done;
	}
	if (help || g.argc == 0) {
		usage(help ? stdout : stderr);
		rc = help ? CMD_OK : CMD_USAGE;
		goto done;
	}
	if (strcmp(g.argv[0], help_entry.name) == 0) {
		rc = run_help(g.argc, g.argv);
		goto done;
	}
	if (strcmp(g.argv[0], "__complete") == 0) {
		rc = complete(g.argc, g.argv);
		goto done;
	}
	if ((e = cmd_find_entry(nouns, NNOUNS, g.argv[0])) == NULL) {
		rc = unknown_noun(g.argv[0]);
		goto done;
	}
	if ((rc = find_verb(e, g.argc - 1, g.argv + 1, &v, &shift)) != 0) {
		if (rc == -1)
			rc = CMD_OK;
		goto done;
	}
	if (shift) {
		rc = cmd_args_parse(e, v, g.argc - 1, g.argv + 1, 0, &a, &help,
		    &fmt);
	} else {
		/* The default verb: parse as if its name had been given. */
		if ((fake = calloc((size_t)g.argc + 1, sizeof *fake)) == NULL) {
			log_warnx("out of memory");
			rc = CMD_USAGE;
			goto done;
		}
		fake[0] = (char *)v->name;
		memcpy(fake + 1, g.argv + 1, ((size_t)g.argc - 1) *
		    sizeof *fake);
		rc = cmd_args_parse(e, v, g.argc, fake, 0, &a, &help, &fmt);
	}
	if (rc != 0)
		goto done;
	have_args = 1;
	if (help) {
		cmd_usage_verb(stdout, e, v);
		goto done;
	}
	if ((rc = resolve_settings(&g, &s)) != 0)
		goto done;
	ctx->server = s.server;
	ctx->ca = s.ca;
	ctx->cert = s.cert;
	ctx->key = s.key;
	ctx->out = fmt == CMD_FORMAT_JSON ? &output_json :
	    fmt == CMD_FORMAT_CSV ? &output_csv : &output_table;
	ctx->fp = stdout;
	rc = v->exec(ctx, &a);
	request_ctx_clear(ctx);
 done:
	if (have_args)
		cmd_args_free(&a);
	cmd_args_free(&g);
	settings_clear(&s);
	free(fake);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cmd_ctx	ctx;
	int		rc, bad;

	log_init("auditorctl", 0);
	/* The locale's character set only: UTF-8 symbols and widths. */
	setlocale(LC_CTYPE, "");
	/* A peer that goes away must be an error code, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (!cmd_tables_sorted(nouns, NNOUNS))
		fatalx("command tables are not sorted or options clash");
	memset(&ctx, 0, sizeof ctx);
	rc = run(argc, argv, &ctx);
	/* Compiled for the options on first use; freed for valgrind. */
	schema_builtin_free();

	/* A full disk or a closed stdout must not exit 0. */
	bad = ferror(stdout);
	errno = 0;
	if (fclose(stdout) == EOF)
		bad = 1;
	if (bad) {
		if (errno != 0)
			log_warn("cannot write the output");
		else
			log_warnx("cannot write the output");
		if (rc == CMD_OK || rc == CMD_FAILED)
			rc = CMD_SERVER;
	}
	return rc;
}
