/* smtp_probe: smtp_send and mime_compose from the command line, for
 * tests/integration/test_smtp_lib.py (built beside agorad, never installed).
 *
 *     smtp_probe [-u USER] [-p PASSWORD] [-t SECONDS] send URL FROM RCPT SUBJECT
 *     smtp_probe [-u USER] [-p PASSWORD] [-t SECONDS] raw URL FROM RCPT < message
 *     smtp_probe print SUBJECT
 *
 * send composes a mail like agorad's (Chinese names, text and HTML, List-Unsubscribe) with
 * that subject and sends it; raw sends standard input as it is; both print the result and
 * why on one line, "SENT\t", "RETRY\t<why>" or "REJECTED\t<why>", and exit 0. print writes
 * the composed mail. Exit 2 for a wrong command line or a mail mime_compose refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mime.h"
#include "smtp.h"
#include "util.h"

static int usage(void)
{
	fprintf(stderr, "usage: smtp_probe [-u USER] [-p PASSWORD] [-t SECONDS] send URL FROM RCPT SUBJECT\n"
			"       smtp_probe [-u USER] [-p PASSWORD] [-t SECONDS] raw URL FROM RCPT < message\n"
			"       smtp_probe print SUBJECT\n");
	return 2;
}

static char *compose(const char *from, const char *rcpt, const char *subject, size_t *len)
{
	struct mime_mail m = {
		.from_name = "农业培训平台", .from_addr = from, .to_name = "张伟", .to_addr = rcpt,
		.subject = subject, .text = "您好，\n\n您的报名已通过。\n.\n-- \nAgora\n",
		.html = "<p>您好，</p>\n<p>您的报名已通过。</p>\n", .message_id = "probe.1@agora.example",
		.date = 1764059400, .lang = "zh-CN", .unsubscribe_url = "https://agora.example/unsubscribe?token=T"};
	return mime_compose(&m, len);
}

/* Standard input, whole; malloc'd. */
static char *read_all(size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		buf_append(&b, chunk, n);
	*len = b.len;
	return buf_detach(&b);
}

static int send_one(struct smtp_config *cfg, char **argv, int raw)
{
	static const char *const names[] = {"SENT", "RETRY", "REJECTED"};
	cfg->url = argv[0];
	cfg->from = argv[1];
	size_t len;
	char *msg = raw ? read_all(&len) : compose(argv[1], argv[2], argv[3], &len);
	if (!msg) {
		fprintf(stderr, "smtp_probe: mime_compose refused the mail\n");
		return 2;
	}
	char why[256];
	enum smtp_result r = smtp_send(cfg, argv[2], msg, len, why, sizeof why);
	printf("%s\t%s\n", names[r], why);
	free(msg);
	return 0;
}

int main(int argc, char **argv)
{
	struct smtp_config cfg = {0};
	int opt;
	while ((opt = getopt(argc, argv, "u:p:t:")) != -1) {
		if (opt == 'u')
			cfg.user = optarg;
		else if (opt == 'p')
			cfg.password = optarg;
		else if (opt == 't')
			cfg.timeout = atol(optarg);
		else
			return usage();
	}
	argv += optind;
	argc -= optind;
	smtp_global_init();
	if (argc == 5 && strcmp(argv[0], "send") == 0)
		return send_one(&cfg, argv + 1, 0);
	if (argc == 4 && strcmp(argv[0], "raw") == 0)
		return send_one(&cfg, argv + 1, 1);
	if (argc == 2 && strcmp(argv[0], "print") == 0) {
		size_t len;
		char *msg = compose("noreply@agora.example", "zhangwei@example.cn", argv[1], &len);
		if (!msg)
			return 2;
		fwrite(msg, 1, len, stdout);
		free(msg);
		return 0;
	}
	return usage();
}
