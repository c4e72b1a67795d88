# client: ecs-saml-ssh, the client side. libc and the libecs layer only: it runs on
# engineers' laptops and must not drag XML, crypto or HTTP libraries along.
CLIENT_LIB_SRCS := client/client_input.c client/client_answer.c \
                   client/client_sshargs.c client/client_relay.c \
                   client/client_chan.c client/client_json.c client/client_cdp.c \
                   client/client_browser.c client/client_config.c \
                   client/client_deflate.c client/client_huffman.c
CLIENT_LIB_OBJS := $(CLIENT_LIB_SRCS:%.c=$(OBJ)/%.o)
CLIENT_LIB      := $(BUILD)/libecs_client.a
CLIENT_BIN      := $(BUILD)/ecs-saml-ssh

$(CLIENT_LIB): $(CLIENT_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(CLIENT_BIN): $(OBJ)/client/ecs_saml_ssh.o $(CLIENT_LIB) $(LIBECS)
	$(CC) -pie $^ -o $@ $(LDFLAGS_BASE)

ALL_TARGETS += $(CLIENT_BIN)

# Engineers' machines need only this program and its page.
install-all: install-client
install-client: $(CLIENT_BIN)
	install -D -m 755 $(CLIENT_BIN) $(DESTDIR)$(BINDIR)/ecs-saml-ssh
	install -D -m 644 man/ecs-saml-ssh.1 $(DESTDIR)$(MANDIR)/man1/ecs-saml-ssh.1

.PHONY: install-client
