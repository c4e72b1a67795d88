# libaws/: libecs_aws.a, what both programs that talk to AWS with a user's credentials share:
# the SigV4 signer (aws_sigv4.c, a pure function) and the endpoints and signed headers of an
# awsJson1_1 call (aws_request.c), and libcurl loaded on first use (aws_curl.c: its URL
# parser here, the transport in each program). Linked by ecs-saml-exec and the helper only
# (libcurl through dlopen, libcrypto's HMAC): never by the PAM or NSS module or the client.
PKGS_AWS     := libcurl libcrypto
LIBAWS_CFLAGS := $(shell pkg-config --cflags $(PKGS_AWS) 2>/dev/null) -Ilibaws
LIBAWS_SRCS  := $(wildcard libaws/*.c)
LIBAWS_OBJS  := $(LIBAWS_SRCS:%.c=$(OBJ)/%.o)
LIBAWS       := $(BUILD)/libecs_aws.a

$(LIBAWS_OBJS): CFLAGS_EXTRA += $(LIBAWS_CFLAGS)

$(LIBAWS): $(LIBAWS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
