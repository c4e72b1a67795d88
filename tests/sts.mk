# tests/sts: the driver of the helper core's STS client and credential files (suite 31, bench).
STS_PROBE := $(BUILD)/tests/sts-probe

$(STS_PROBE): tests/sts/sts-probe.c $(HELPER_LIB) $(LIBAWS) $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(HELPER_CFLAGS) $< -o $@ $(HELPER_LIB) $(LIBAWS) $(LIBECS) \
		$(LDFLAGS_BASE) $(HELPER_LIBS)

CHECK_BINS += $(STS_PROBE)
BENCH_BINS += $(STS_PROBE)
