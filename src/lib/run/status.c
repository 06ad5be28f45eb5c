/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* status.c: the checks a `status` command prints: one line and a verdict each, or JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "run/run.h"

static const char *const words[] = { [XNH_OK] = "ok", [XNH_WARN] = "warn", [XNH_FAIL] = "FAIL" };

void xnh_status_begin(struct xnh_status *s, bool json)
{
	memset(s, 0, sizeof(*s));
	s->json = json;
	if (json)
		fputs("{\"checks\": [", stdout);
}

static void json_string(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	putchar('"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void emit(struct xnh_status *s, enum xnh_verdict v, const char *what, const char *fix)
{
	if (!s->json) {
		printf("%-4s  %s\n", words[v], what);
		if (fix && v != XNH_OK)
			printf("      fix: %s\n", fix);
		return;
	}
	printf("%s\n  {\"verdict\": \"%s\", \"check\": ", s->n ? "," : "", words[v]);
	json_string(what);
	fputs(", \"fix\": ", stdout);
	if (fix && v != XNH_OK)
		json_string(fix);
	else
		fputs("null", stdout);
	putchar('}');
}

/* One check: @fix (may be NULL) says how to mend a failure. */
void xnh_status_check(struct xnh_status *s, enum xnh_verdict v, const char *fix,
		      const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	emit(s, v, what, fix);
	s->n++;
	if (v == XNH_FAIL)
		s->failed++;
	else if (v == XNH_WARN)
		s->warned++;
}

/* 0 when no check failed (warnings are advice), else 1. */
int xnh_status_end(struct xnh_status *s)
{
	if (s->json)
		printf("\n], \"failed\": %u, \"warnings\": %u, \"ok\": %s}\n", s->failed, s->warned,
		       s->failed ? "false" : "true");
	else
		printf("%s: %u checks, %u failed, %u warnings\n", s->failed ? "FAIL" : "ok", s->n,
		       s->failed, s->warned);
	fflush(stdout);
	return s->failed ? 1 : 0;
}
