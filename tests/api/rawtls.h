/*
 * rawtls.h: a small blocking mbedTLS client for the framing tests: it sends
 * exact bytes in one write on one TLS connection and reads everything the
 * server answers until it closes the connection or goes quiet; or it
 * sends and hangs up at once, for the tests of clients that vanish.
 */
#ifndef RAWTLS_H
#define RAWTLS_H

#include <stddef.h>

struct rawtls_result {
	int	 ok;		/* handshake done and request written */
	int	 closed;	/* the server closed (close_notify, EOF, reset) */
	char	*data;		/* everything read, NUL-terminated; owned */
	size_t	 len;
	char	 error[256];	/* why ok is 0 */
};

/*
 * Connect to 127.0.0.1:port, handshake as the test directory's NAME.crt
 * (verifying the server against ca.crt), write req in one write, then read
 * until the server closes or quiet_ms pass without data. Free with
 * rawtls_result_free(). Returns res->ok.
 */
int	rawtls_exchange(const char *port, const char *who, const char *req,
	    size_t reqlen, int quiet_ms, struct rawtls_result *res);
void	rawtls_result_free(struct rawtls_result *);

/* How rawtls_send_and_drop ends the connection. */
enum rawtls_drop {
	RAWTLS_FIN,	/* close: FIN, no close_notify */
	RAWTLS_RESET,	/* SO_LINGER 0 and close: RST */
};

/*
 * Connect and handshake as who, write req (all of it), wait delay_us, and
 * close without close_notify and without reading a byte: a client that
 * goes away while its request is being served. Returns 1 when the bytes
 * were written, else 0 with the reason in err.
 */
int	rawtls_send_and_drop(const char *port, const char *who,
	    const char *req, size_t reqlen, enum rawtls_drop how,
	    int delay_us, char *err, size_t errlen);

/*
 * One connection kept open, for exchanges in steps (100-continue, a body
 * that is never finished, slow clients). rawtls_open connects and
 * handshakes as who, reads giving up after quiet_ms of silence; NULL with
 * the reason in err. rawtls_send writes all of buf (0, or -1).
 * rawtls_recv appends what arrives to res (memset it to 0 first) until the
 * server closes or goes quiet. rawtls_close sends close_notify and frees.
 */
struct rawtls;
struct rawtls	*rawtls_open(const char *port, const char *who, int quiet_ms,
		    char *err, size_t errlen);
int		 rawtls_send(struct rawtls *, const void *buf, size_t len);
void		 rawtls_recv(struct rawtls *, struct rawtls_result *res);
void		 rawtls_close(struct rawtls *);

/*
 * Parse the HTTP response starting at data (length len): its status, the
 * value of header name (copied into val, "" when absent) and the number of
 * bytes the response takes (headers plus Content-Length body), or 0 if it is
 * not a complete response.
 */
size_t	rawtls_response(const char *data, size_t len, int *status,
	    const char *name, char *val, size_t vallen);

/*
 * A keep-alive connection for many requests (the role matrix): who NULL
 * presents no certificate. rawtls_request writes req whole and reads one
 * response (it must carry Content-Length): its status, and its body in
 * *body (valid until the next request on k). A connection the server
 * closed is opened again once. 0, or -1 when no response came.
 */
struct rawtls_conn;
struct rawtls_conn *rawtls_conn_open(const char *port, const char *who,
	    char *err, size_t errlen);
int	rawtls_request(struct rawtls_conn *, const char *req, size_t len,
	    int *status, const char **body, size_t *bodylen);
void	rawtls_conn_close(struct rawtls_conn *);

#endif
