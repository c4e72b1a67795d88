/* ecs_time.c — strict xs:dateTime parsing and UTC formatting, without the locale or TZ:
 * timegm/strptime depend on the environment and accept more than the grammar allows. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "ecs_time.h"

#define ECS_TIME_MAX_FRACTION 32	/* digits; more is noise, not precision */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's method). */
static int64_t
ecs_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The inverse of ecs_days_from_civil. */
static void
ecs_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool
ecs_is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
ecs_days_in_month(unsigned y, unsigned m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && ecs_is_leap(y) ? 29 : days[m - 1];
}

/* Read exactly n digits at *p into *v and advance *p. */
static bool
ecs_digits(const char **p, unsigned n, unsigned *v)
{
	unsigned i;

	*v = 0;
	for (i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		*v = *v * 10 + (unsigned)(c - '0');
	}
	*p += n;
	return true;
}

/* Expect the literal character c at *p and advance. */
static bool
ecs_lit(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* Zone designator at p, through the end of the string: its offset east of UTC in seconds. */
static int
ecs_parse_zone(const char *p, int64_t *offset)
{
	unsigned hh, mm;
	int sign;

	if (p[0] == 'Z' && p[1] == 0) {
		*offset = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -EINVAL;
	sign = *p == '-' ? -1 : 1;
	p++;
	if (!ecs_digits(&p, 2, &hh) || !ecs_lit(&p, ':') || !ecs_digits(&p, 2, &mm) || *p)
		return -EINVAL;
	/* xs:dateTime bounds the offset to ±14:00 */
	if (mm > 59 || hh * 60 + mm > 14 * 60)
		return -EINVAL;
	*offset = sign * (int64_t)(hh * 3600 + mm * 60);
	return 0;
}

int
ecs_time_parse(const char *s, time_t *out)
{
	const char *p = s;
	unsigned y, mo, d, h, mi, sec, nfrac = 0;
	int64_t offset, t;

	if (!ecs_digits(&p, 4, &y) || !ecs_lit(&p, '-') || !ecs_digits(&p, 2, &mo) ||
	    !ecs_lit(&p, '-') || !ecs_digits(&p, 2, &d) || !ecs_lit(&p, 'T') ||
	    !ecs_digits(&p, 2, &h) || !ecs_lit(&p, ':') || !ecs_digits(&p, 2, &mi) ||
	    !ecs_lit(&p, ':') || !ecs_digits(&p, 2, &sec))
		return -EINVAL;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && nfrac <= ECS_TIME_MAX_FRACTION) {
			p++;
			nfrac++;
		}
		if (nfrac == 0 || nfrac > ECS_TIME_MAX_FRACTION)
			return -EINVAL;
	}
	/* year 0000 does not exist in xs:dateTime; no leap second; no 24:00:00 */
	if (y == 0 || mo < 1 || mo > 12 || d < 1 || d > ecs_days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 59)
		return -EINVAL;
	if (ecs_parse_zone(p, &offset) < 0)
		return -EINVAL;
	t = ecs_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
	*out = (time_t)t;
	return 0;
}

/* Write v as exactly n decimal digits, zero-padded (fixed layout, no snprintf). */
static void
ecs_put_digits(char *p, unsigned n, unsigned v)
{
	while (n--) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
ecs_time_format(time_t t, char buf[ECS_TIME_BUFSZ])
{
	/* clamp to what four year digits can show, so the output always fits */
	static const int64_t lo = -62135596800;	/* 0001-01-01T00:00:00Z */
	static const int64_t hi = 253402300799;	/* 9999-12-31T23:59:59Z */
	int64_t v = (int64_t)t;
	int64_t days, secs, y;
	unsigned m, d;

	if (v < lo)
		v = lo;
	if (v > hi)
		v = hi;
	days = v / 86400;
	secs = v % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	ecs_civil_from_days(days, &y, &m, &d);
	ecs_put_digits(buf, 4, (unsigned)y);
	buf[4] = '-';
	ecs_put_digits(buf + 5, 2, m);
	buf[7] = '-';
	ecs_put_digits(buf + 8, 2, d);
	buf[10] = 'T';
	ecs_put_digits(buf + 11, 2, (unsigned)(secs / 3600));
	buf[13] = ':';
	ecs_put_digits(buf + 14, 2, (unsigned)(secs / 60 % 60));
	buf[16] = ':';
	ecs_put_digits(buf + 17, 2, (unsigned)(secs % 60));
	buf[19] = 'Z';
	buf[20] = 0;
}
