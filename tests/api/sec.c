/*
 * sec.c: the security cases' own daemon (see sec.h): certificates and a
 * CRL made with the test CA by openssl, a config with tokens on, a
 * bootstrapped store, the daemon, and its stop at exit.
 */
#include <sys/wait.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "harness.h"
#include "sec.h"

static struct {
	pid_t	pid;
	int	failed;
	char	url[64];
} sec;

/*
 * $1: the test directory. Client certificates signed by the test CA, an
 * openssl ca database, and a CRL (30 days) revoking sec-revoked.
 */
static const char certs_sh[] =
    "set -e\n"
    "cd \"$1\"\n"
    "mkdir -p sec-ca\n"
    "cd sec-ca\n"
    ": > index.txt\n"
    "echo 1000 > crlnumber\n"
    "printf '[ca]\\ndefault_ca=d\\n[d]\\ndatabase=index.txt\\n"
    "crlnumber=crlnumber\\ndefault_md=sha256\\n' > ca.cnf\n"
    "printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,"
    "digitalSignature\\nextendedKeyUsage=clientAuth\\n' > ext\n"
    "for n in good revoked later none; do\n"
    "  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
    "-out ../sec-$n.key 2>/dev/null\n"
    "  openssl req -new -key ../sec-$n.key -subj \"/CN=sec-$n\" "
    "-out $n.csr\n"
    "  openssl x509 -req -in $n.csr -CA ../ca.crt -CAkey ../ca.key "
    "-CAserial serial -CAcreateserial -sha256 -days 30 -extfile ext "
    "-out ../sec-$n.crt 2>/dev/null\n"
    "done\n"
    "openssl ca -config ca.cnf -keyfile ../ca.key -cert ../ca.crt "
    "-revoke ../sec-revoked.crt 2>/dev/null\n"
    "openssl ca -config ca.cnf -keyfile ../ca.key -cert ../ca.crt "
    "-gencrl -crldays 30 -out ../sec.crl 2>/dev/null\n";

/* $1: the test directory, $2: days. */
static const char revoke_sh[] =
    "set -e\n"
    "cd \"$1/sec-ca\"\n"
    "openssl ca -config ca.cnf -keyfile ../ca.key -cert ../ca.crt "
    "-revoke ../sec-later.crt 2>/dev/null\n"
    "openssl ca -config ca.cnf -keyfile ../ca.key -cert ../ca.crt "
    "-gencrl -crldays \"$2\" -out ../sec.crl.new 2>/dev/null\n"
    "mv ../sec.crl.new ../sec.crl\n";

static int
sh(const char *script, const char *arg2)
{
	const char	*argv[] = { "sh", "-c", script, "sh", harness.dir, arg2,
			    NULL };
	struct proc	 p;
	int		 rc;

	rc = harness_run(argv, NULL, NULL, 0, 60000, &p);
	if (rc != 0)
		printf("\n  ** sec: a script failed (%d): %s%s\n", rc, p.out,
		    p.err);
	harness_proc_free(&p);
	return rc;
}

static void
sec_stop(void)
{
	int	st;

	if (sec.pid <= 0)
		return;
	kill(sec.pid, SIGTERM);
	waitpid(sec.pid, &st, 0);
	sec.pid = 0;
}

static int
start(void)
{
	char				 conf[PATH_MAX], log[PATH_MAX];
	char				 admin[PATH_MAX], text[2048], port[16];
	char				 livez[128];
	const char			*boot[] = { harness.auditord,
					    "bootstrap", "-f", conf, "--admin",
					    "admin", "--cert", admin, NULL };
	struct proc			 p;
	struct resp			 r;
	FILE				*f;
	int				 i, st = 0;

	if (sh(certs_sh, "") != 0 || harness_free_port(port, sizeof port) != 0)
		return -1;
	snprintf(sec.url, sizeof sec.url, "https://127.0.0.1:%s", port);
	snprintf(text, sizeof text, "[server]\nlisten = 127.0.0.1:%s\n"
	    "workers = 2\n[tls]\ncert = %s/server.crt\nkey = %s/server.key\n"
	    "ca = %s/ca.crt\ncrl = %s/sec.crl\n[auth]\ntokens = on\n"
	    "[store]\npath = %s/sec-data\nmap_size = 64M\n", port,
	    harness.dir, harness.dir, harness.dir, harness.dir, harness.dir);
	harness_file(conf, "sec.conf");
	if ((f = fopen(conf, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) != 0)
		return -1;
	harness_file(admin, "admin.crt");
	harness_file(log, "sec.log");
	if (harness_run(boot, NULL, NULL, 0, 30000, &p) != 0) {
		printf("\n  ** sec: bootstrap: %s\n", p.err);
		harness_proc_free(&p);
		return -1;
	}
	harness_proc_free(&p);
	sec.pid = harness_spawn(conf, log);
	if (sec.pid > 0)
		atexit(sec_stop);
	for (i = 0; sec.pid > 0 && i < 100 && st != 200; i++) {
		usleep(100 * 1000);
		snprintf(livez, sizeof livez, "%s/livez", sec.url);
		st = client_http(&r, "admin", "GET", livez, NULL, NULL);
		client_resp_free(&r);
	}
	return st == 200 ? 0 : -1;
}

const char *
sec_url(void)
{
	if (sec.pid > 0)
		return sec.url;
	if (sec.failed)
		return NULL;
	if (start() != 0) {
		sec.failed = 1;
		sec_stop();
		return NULL;
	}
	return sec.url;
}

char *
sec_path(char *out, const char *path)
{
	snprintf(out, PATH_MAX, "%s%s", sec.url, path);
	return out;
}

int
sec_revoke_later(int days)
{
	char	d[16];

	snprintf(d, sizeof d, "%d", days);
	if (sh(revoke_sh, d) != 0)
		return -1;
	return sec.pid > 0 ? kill(sec.pid, SIGHUP) : -1;
}

char *
sec_log(void)
{
	char	 path[PATH_MAX];
	FILE	*f;
	char	*buf;
	size_t	 n;

	harness_file(path, "sec.log");
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if ((buf = calloc(1, 1 << 20)) != NULL) {
		n = fread(buf, 1, (1 << 20) - 1, f);
		buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

int
sec_pid(void)
{
	return (int)sec.pid;
}

int
sec_http(struct resp *r, const char *who, const char *method,
    const char *path, const char *body, const char *authz)
{
	char	url[PATH_MAX], hdr[256];

	sec_path(url, path);
	if (authz == NULL)
		return client_http(r, who, method, url, body, NULL);
	snprintf(hdr, sizeof hdr, "Authorization: %s", authz);
	return client_http(r, who, method, url, body, hdr, NULL);
}

int
sec_put(const char *path, const char *body)
{
	struct resp	r;
	int		ok;

	sec_http(&r, "admin", "POST", path, body, NULL);
	ok = r.status == 201 || r.status == 409;
	if (!ok)
		client_dump(&r, "making a fixture record");
	client_resp_free(&r);
	return ok;
}
