/* test_time.c — strict xs:dateTime: leap years, offsets, fractions, refusals, formatting. */
#include <errno.h>
#include <string.h>

#include "ecs_time.h"
#include "tap.h"

static int
parses_to(const char *s, time_t want)
{
	time_t t = 12345;

	return ecs_time_parse(s, &t) == 0 && t == want;
}

static int
refused(const char *s)
{
	time_t t = 12345;

	return ecs_time_parse(s, &t) == -EINVAL && t == 12345;
}

static void
test_accepted(void)
{
	T_OK(parses_to("1970-01-01T00:00:00Z", 0), "epoch");
	T_OK(parses_to("2024-02-29T12:00:00Z", 1709208000), "29 February of a leap year");
	T_OK(parses_to("2000-02-29T00:00:00Z", 951782400), "2000 is a leap year (div by 400)");
	T_OK(parses_to("2024-02-29T12:00:00+01:00", 1709204400), "positive offset is east of UTC");
	T_OK(parses_to("2024-02-29T12:00:00-05:30", 1709227800), "negative offset with minutes");
	T_OK(parses_to("2024-02-29T12:00:00.999Z", 1709208000), "fraction is truncated");
	T_OK(parses_to("2024-02-29T12:00:00.1234567Z", 1709208000), "7-digit fraction (ADFS)");
	T_OK(parses_to("2024-02-29T12:00:00+14:00", 1709157600), "offset +14:00 is the limit");
	T_OK(parses_to("1969-12-31T23:59:59Z", -1), "before the epoch");
	T_OK(parses_to("2038-01-19T03:14:08Z", 2147483648LL), "past 2038");
	T_OK(parses_to("9999-12-31T23:59:59Z", 253402300799LL), "last representable second");
	T_OK(parses_to("2023-12-31T23:59:59-00:00", 1704067199), "-00:00 is UTC");
}

static void
test_refused(void)
{
	T_OK(refused("2024-02-29T12:00:00"), "no zone refused");
	T_OK(refused("2023-02-29T12:00:00Z"), "29 February of a common year refused");
	T_OK(refused("1900-02-29T12:00:00Z"), "1900 is not a leap year");
	T_OK(refused("2024-04-31T12:00:00Z"), "31 April refused");
	T_OK(refused("2024-13-01T12:00:00Z"), "month 13 refused");
	T_OK(refused("2024-00-01T12:00:00Z"), "month 0 refused");
	T_OK(refused("2024-01-00T12:00:00Z"), "day 0 refused");
	T_OK(refused("2024-01-01T24:00:00Z"), "hour 24 refused");
	T_OK(refused("2024-01-01T12:60:00Z"), "minute 60 refused");
	T_OK(refused("2016-12-31T23:59:60Z"), "leap second refused");
	T_OK(refused("0000-01-01T00:00:00Z"), "year 0000 refused");
	T_OK(refused("24-01-01T12:00:00Z"), "two-digit year refused");
	T_OK(refused("+2024-01-01T12:00:00Z"), "sign before the year refused");
	T_OK(refused("2024-01-01 12:00:00Z"), "space instead of T refused");
	T_OK(refused("2024-01-01t12:00:00Z"), "lowercase t refused");
	T_OK(refused("2024-01-01T12:00:00z"), "lowercase z refused");
	T_OK(refused("2024-01-01T12:00:00.Z"), "empty fraction refused");
	T_OK(refused("2024-01-01T12:00:00+0100"), "offset without colon refused");
	T_OK(refused("2024-01-01T12:00:00+14:01"), "offset past 14:00 refused");
	T_OK(refused("2024-01-01T12:00:00+01:60"), "offset minute 60 refused");
	T_OK(refused("2024-01-01T12:00:00Z "), "trailing space refused");
	T_OK(refused(" 2024-01-01T12:00:00Z"), "leading space refused");
	T_OK(refused("2024-01-01T12:00:00ZZ"), "trailing garbage refused");
	T_OK(refused("2024-01-01T12:00Z"), "missing seconds refused");
	T_OK(refused("2024-1-01T12:00:00Z"), "one-digit month refused");
	T_OK(refused(""), "empty string refused");
	T_OK(refused("2024-01-01T12:00:00.000000000000000000000000000000001Z"),
	     "33-digit fraction refused");
}

static void
test_format(void)
{
	char buf[ECS_TIME_BUFSZ];
	time_t t;

	ecs_time_format(0, buf);
	T_OK(strcmp(buf, "1970-01-01T00:00:00Z") == 0, "format the epoch");
	ecs_time_format(1709208000, buf);
	T_OK(strcmp(buf, "2024-02-29T12:00:00Z") == 0, "format a leap day");
	ecs_time_format(-1, buf);
	T_OK(strcmp(buf, "1969-12-31T23:59:59Z") == 0, "format before the epoch");
	ecs_time_format((time_t)1 << 40, buf);
	T_OK(strcmp(buf, "9999-12-31T23:59:59Z") == 0 && strlen(buf) == 20,
	     "far future clamps to 9999 and fits the buffer");
	ecs_time_format(1234567890, buf);
	T_OK(ecs_time_parse(buf, &t) == 0 && t == 1234567890, "format then parse round trips");
}

int
main(void)
{
	test_accepted();
	test_refused();
	test_format();
	T_DONE();
}
