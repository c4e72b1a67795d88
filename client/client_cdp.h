/* client_cdp.h — the DevTools protocol conversation of ecs-saml-ssh --browser, without I/O.
 *
 * The browser runs with --remote-debugging-pipe; client_browser.c moves the NUL-terminated
 * messages, this file decides what to say. The conversation:
 *   1. Target.setAutoAttach (flatten, waitForDebuggerOnStart): every page the browser has or
 *      opens later (a pop-up the IdP opens included) is attached to us, paused before it runs.
 *   2. On each attached target: Fetch.enable for the AWS sign-in URLs at the Request stage,
 *      then Runtime.runIfWaitingForDebugger. The Fetch.enable of a page must succeed: a page
 *      without interception could post the Response to AWS.
 *   3. Once the first page's interception is on: Page.navigate to the IdP's sign-in URL.
 *   4. Fetch.requestPaused for an AWS sign-in URL: a POST whose url-encoded body holds a SAML
 *      Response is answered from here (Fetch.fulfillRequest, a small local page), so nothing
 *      reaches the network, and the Response is kept; anything else paused there is failed
 *      (Fetch.failRequest), never continued.
 * The messages are untrusted bytes (the page is the IdP's): read with client_json.h, every
 * field checked, and any message that does not parse ends the sign-in. */
#ifndef ECS_CLIENT_CDP_H
#define ECS_CLIENT_CDP_H

#include <stdbool.h>
#include <stddef.h>

#include "client_input.h"
#include "ecs_buf.h"

/* The longest message read from the browser: a Fetch.requestPaused carries the posted body
 * twice (as text and in base64), for a form of up to ECS_CLIENT_INPUT_MAX bytes. */
#define ECS_CDP_MSG_MAX (4u * 1024u * 1024u)

/* How a conversation ended, besides 0 (still going) and ECS_CDP_CAPTURED. */
enum ecs_cdp_result {
	ECS_CDP_RUNNING = 0,
	ECS_CDP_CAPTURED = 1,
	ECS_CDP_E_PROTOCOL = -1,	/* a message that is not the protocol's */
	ECS_CDP_E_COMMAND = -2,		/* the browser refused a command we need; detail says */
	ECS_CDP_E_NAVIGATE = -3,	/* the sign-in URL did not open; detail has the reason */
	ECS_CDP_E_NOT_SAML = -4,	/* the POST to AWS held no (complete) SAML Response */
	ECS_CDP_E_NO_BODY = -5,		/* the POST to AWS came without its body */
	ECS_CDP_E_TOO_MANY = -6,	/* more windows at once than this program tracks */
	ECS_CDP_E_NOMEM = -7,
};

#define ECS_CDP_SESSION_MAX 64	/* Chromium's session ids are 32 hex digits */
#define ECS_CDP_PENDING_MAX 32

struct ecs_client_cdp {
	const char *url;	/* the IdP's sign-in URL, opened in the first page */
	long long next_id;
	long long nav_enable_id;	/* the first page's Fetch.enable; 0: none yet */
	long long nav_id;		/* its Page.navigate; 0: not sent */
	char nav_session[ECS_CDP_SESSION_MAX + 1];
	/* commands whose failure ends the sign-in: a page's Fetch.enable, Page.navigate */
	long long pending[ECS_CDP_PENDING_MAX];
	struct ecs_buf out;	/* messages to write to the browser, each NUL-terminated */
	struct ecs_client_response resp;	/* the captured Response (ECS_CDP_CAPTURED) */
	int parse_error;	/* ecs_client_response_parse's code for ECS_CDP_E_NOT_SAML */
	char detail[160];	/* the browser's words for E_COMMAND / E_NAVIGATE, printable */
};

/* Start a conversation that will open url (printable ASCII, the caller checked it): queues
 * the first command in c->out. */
void ecs_client_cdp_init(struct ecs_client_cdp *c, const char *url);

/* Take one message msg[len] (without its NUL) from the browser; may queue messages in
 * c->out. ECS_CDP_RUNNING, ECS_CDP_CAPTURED (c->resp holds the Response; the answer to the
 * page is queued) or an ecs_cdp_result error. */
int ecs_client_cdp_feed(struct ecs_client_cdp *c, const char *msg, size_t len);

/* Queue Browser.close. */
void ecs_client_cdp_close(struct ecs_client_cdp *c);

/* Wipe and release everything, the Response included. */
void ecs_client_cdp_free(struct ecs_client_cdp *c);

/* Whether url is an AWS sign-in endpoint for SAML: https://signin.aws.amazon.com/saml, a
 * regional https://REGION.signin.aws.amazon.com/saml, https://signin.amazonaws.cn/saml or
 * https://signin.amazonaws-us-gov.com/saml, with an optional query. */
bool ecs_client_cdp_is_aws_saml_url(const char *url, size_t len);

#endif
